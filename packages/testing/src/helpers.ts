// What many packages' tests need beyond the suites: waiting for something to happen, loggers that
// keep what they were told, a test service's loopback stack, a registry that counts its lookups,
// bytes from text, the MicroError a call throws, a throwaway TLS certificate, and (from
// processes.ts) child processes that print JSON lines, their loopback environment and a free port.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger, RegisterOptions, Registry, Service, Watcher, WatchOptions } from "@micro/core";
import { isMicroError, type MicroError, silentLogger } from "@micro/core";
import { expect } from "vitest";

export * from "./processes.js";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Retries `check` (an assertion) every `interval` ms until it passes or `timeout` ms pass; then
 * throws its last error. Resolves what `check` returned.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeout = 5000, interval = 20): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await sleep(interval);
    }
  }
}

/** Waits until `cond()` is true, checking every `interval` ms; fails after `timeout` ms naming `what`. */
export async function waitFor(
  cond: () => boolean,
  timeout = 5000,
  what = "the condition",
  interval = 5,
): Promise<void> {
  const until = Date.now() + timeout;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(interval);
  }
}

/** A logger that drops everything but keeps the warnings, to assert on them. */
export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warnings, warn: (msg: string) => void warnings.push(msg) };
}

/**
 * The stack of a test service on loopback, to spread into createService (or createClient): `registry`
 * (an instance, or a plugin's name), the http transport on 127.0.0.1 with a free port, the memory
 * broker, no flags or environment read, and only errors logged.
 */
export function loopbackServiceOptions<R>(registry: R) {
  return {
    registry,
    transport: "http",
    broker: "memory",
    address: "127.0.0.1:0",
    argv: [],
    env: {},
    logLevel: "error" as const,
  };
}

export const text = (s: string) => new TextEncoder().encode(s);
export const untext = (b: Uint8Array) => new TextDecoder().decode(b);

/**
 * A registry that counts lookups and can be made slow or failing, like a registry going away;
 * everything goes to `inner`. Assign `watch` to stand in for a registry whose watches fail.
 */
export class CountingRegistry implements Registry {
  /** getService calls so far. */
  gets = 0;
  /** When set, getService rejects with it. */
  failing: Error | undefined;
  /** ms getService takes before answering. */
  delay = 0;

  constructor(readonly inner: Registry) {}

  get name(): string {
    return this.inner.name;
  }

  async getService(name: string): Promise<Service[]> {
    this.gets++;
    if (this.delay) await sleep(this.delay);
    if (this.failing) throw this.failing;
    return this.inner.getService(name);
  }

  register(service: Service, options?: RegisterOptions): Promise<void> {
    return this.inner.register(service, options);
  }

  deregister(service: Service): Promise<void> {
    return this.inner.deregister(service);
  }

  listServices(): Promise<Service[]> {
    return this.inner.listServices();
  }

  watch(options?: WatchOptions): Watcher {
    return this.inner.watch(options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Calls `fn`, expects it to throw a MicroError (with `code`, and a message matching `message`, when
 * given) and returns it.
 */
export function expectMicroError(
  fn: () => unknown,
  expected: { code?: number; message?: RegExp } = {},
): MicroError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, "expected a MicroError to be thrown").toBeDefined();
  expect(isMicroError(thrown), `expected a MicroError, got ${String(thrown)}`).toBe(true);
  const err = thrown as MicroError;
  if (expected.code !== undefined) expect(err.code).toBe(expected.code);
  if (expected.message) expect(err.message).toMatch(expected.message);
  return err;
}

/** A throwaway key and certificate for 127.0.0.1 and localhost, made by the openssl CLI in a temp dir. */
export function selfSignedCert(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "micro-test-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
      ],
      { stdio: "ignore" },
    );
    return {
      cert: readFileSync(join(dir, "cert.pem"), "utf8"),
      key: readFileSync(join(dir, "key.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
