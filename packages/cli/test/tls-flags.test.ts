// The TLS flags over real sockets (the http transport on loopback): a server with a self-signed
// certificate, and callers configured only by flags and MICRO_* env. Verified by default (go-micro
// v6): a caller trusts the server through --tls_ca_file, or the system's CA store (stood in for by
// NODE_EXTRA_CA_CERTS, in a process of its own); --tls_secure alone is TLS against that store, never
// plaintext; MICRO_TLS_INSECURE opts out. The flag rules and their errors: core's tls-flags.test.ts.
import "@micro/defaults";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createService, type MicroService } from "@micro/core";
import { JsonLinesProcess, selfSignedCert } from "@micro/testing/helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const caller = fileURLToPath(new URL("./support/tls-caller.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "micro-tls-flags-"));
const pem = selfSignedCert();
const cert = join(dir, "cert.pem");
const key = join(dir, "key.pem");
writeFileSync(cert, pem.cert);
writeFileSync(key, pem.key);
const pair = [`--tls_cert_file=${cert}`, `--tls_key_file=${key}`];

/** Runs the caller with these flags and env over a clean environment; its one JSON line. */
async function call(address: string, argv: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("MICRO_")));
  const p = new JsonLinesProcess(
    spawn(process.execPath, [caller, address, ...argv], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...clean, ...env },
    }),
    { name: "tls caller" },
  );
  return p.waitFor((l) => "ok" in l);
}

describe("TLS flags over the http transport", () => {
  let server: MicroService;
  let address: string;

  beforeAll(async () => {
    server = createService({
      name: "tls",
      registry: "memory",
      broker: "memory",
      transport: "http",
      address: "127.0.0.1:0",
      argv: pair,
      env: {},
      logLevel: "error",
    });
    server.handle("Hello", {
      async call(_ctx, req: { name: string }) {
        return { msg: `Hello ${req.name}` };
      },
    });
    await server.start();
    address = server.server.address();
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const hello = { ok: true, rsp: { msg: "Hello tls" } };

  it("--tls_ca_file: the server is verified and trusted", async () => {
    expect(await call(address, [`--tls_ca_file=${cert}`])).toEqual(hello);
  });

  it("--tls_secure alone: TLS verified against the system's CA store (not plaintext)", async () => {
    // not in the store: the handshake fails on the certificate, so TLS was spoken
    const refused = await call(address, ["--tls_secure"]);
    expect(refused).toMatchObject({ ok: false });
    expect(refused.error).toMatch(/self-signed certificate/);
    // in the store (NODE_EXTRA_CA_CERTS extends Node's default CA store): trusted
    expect(await call(address, ["--tls_secure"], { NODE_EXTRA_CA_CERTS: cert })).toEqual(hello);
    expect(await call(address, [], { MICRO_TLS_SECURE: "true", NODE_EXTRA_CA_CERTS: cert })).toEqual(hello);
  });

  it("a certificate without a CA: peers are verified by default, so a self-signed server is refused", async () => {
    const refused = await call(address, pair);
    expect(refused).toMatchObject({ ok: false });
    expect(refused.error).toMatch(/self-signed certificate/);
  });

  it("MICRO_TLS_INSECURE=true (or --tls_insecure) opts out: the self-signed server is accepted", async () => {
    expect(await call(address, pair, { MICRO_TLS_INSECURE: "true" })).toEqual(hello);
    expect(await call(address, [...pair, "--tls_insecure"])).toEqual(hello);
  });

  it("a typo is one line, and nothing is dialed", async () => {
    const r = await call(address, ["--tls_secure=ture"]);
    expect(r).toEqual({
      ok: false,
      error: 'MICRO_ERR_INVALID_OPTION: --tls_secure: expected true or false, got "ture"',
    });
  });
});
