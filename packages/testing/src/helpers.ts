// What many packages' tests need beyond the suites: waiting for something to happen, loggers that
// keep what they were told, a registry that counts its lookups, and bytes from text.
import type {
  Logger,
  RegisterOptions,
  Registry,
  Service,
  Watcher,
  WatchOptions,
} from "@micro/core";
import { silentLogger } from "@micro/core";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Retries `check` (an assertion) every `interval` ms until it passes or `timeout` ms pass; then
 * throws its last error. Resolves what `check` returned.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeout = 5000, interval = 50): Promise<T> {
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
