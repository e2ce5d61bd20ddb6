// The TLS flags: verified by default (go-micro v6), MICRO_TLS_INSECURE to opt out, v5's
// MICRO_TLS_SECURE still understood, --tls_secure alone meaning TLS verified against the system's
// CA store (never plaintext), and every mistake a one-line error at start. Over real sockets:
// packages/cli/test/tls-flags.test.ts.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CORE_FLAGS } from "../src/config/core-flags.js";
import type { ConfigSources } from "../src/config/resolve.js";
import { tlsFromConfig, tlsWarnings } from "../src/config/tls.js";
import { createService } from "../src/index.js";
import { resolveConfig } from "../src/internal.js";
import { certFiles } from "./support/cert.js";
import { jsonLogger } from "./support/logs.js";
import { testServiceOptions } from "./support/stack.js";

const files = certFiles();
afterAll(() => rmSync(files.dir, { recursive: true, force: true }));
const tls = (sources: ConfigSources) => tlsFromConfig(resolveConfig(CORE_FLAGS, { env: {}, ...sources }));
const error = (sources: ConfigSources) => {
  try {
    tls(sources);
  } catch (err) {
    return (err as Error).message;
  }
  return "no error";
};
const pair = [`--tls_cert_file=${files.cert}`, `--tls_key_file=${files.key}`];

describe("TLS flags", () => {
  it("no TLS flag: plaintext", () => {
    expect(tls({ argv: [] })).toBeUndefined();
    // the opt-out alone turns nothing on (a MICRO_TLS_INSECURE set for Go services changes nothing here)
    expect(tls({ env: { MICRO_TLS_INSECURE: "true" } })).toBeUndefined();
  });

  it("a certificate turns TLS on, and peers are verified by default (go-micro v6)", () => {
    const t = tls({ argv: pair });
    expect(t).toMatchObject({ insecureSkipVerify: false });
    expect(t!.cert!.toString()).toContain("BEGIN CERTIFICATE");
    expect(t!.key!.toString()).toContain("PRIVATE KEY");
    expect(t!.ca).toBeUndefined();
    expect(tls({ argv: [`--tls_ca_file=${files.cert}`] })).toMatchObject({ insecureSkipVerify: false });
  });

  it("--tls_secure with no file: TLS verified against the system's CA store, not plaintext", () => {
    for (const sources of [{ argv: ["--tls_secure"] }, { env: { MICRO_TLS_SECURE: "true" } }]) {
      const t = tls(sources);
      expect(t).toEqual({ insecureSkipVerify: false });
    }
  });

  it("MICRO_TLS_INSECURE / --tls_insecure opts out; v5's --tls_secure=false too", () => {
    expect(tls({ argv: pair, env: { MICRO_TLS_INSECURE: "true" } })).toMatchObject({
      insecureSkipVerify: true,
    });
    expect(tls({ argv: [...pair, "--tls_insecure"] })).toMatchObject({ insecureSkipVerify: true });
    expect(tls({ argv: [...pair, "--tls_secure=false"] })).toMatchObject({ insecureSkipVerify: true });
    // the flag beats the environment
    expect(
      tls({ argv: [...pair, "--tls_insecure=false"], env: { MICRO_TLS_INSECURE: "true" } }),
    ).toMatchObject({
      insecureSkipVerify: false,
    });
  });

  it("refuses mistakes with one line naming the flag", () => {
    expect(error({ argv: ["--tls_secure=ture"] })).toBe(
      'MICRO_ERR_INVALID_OPTION: --tls_secure: expected true or false, got "ture"',
    );
    expect(error({ env: { MICRO_TLS_INSECURE: "yes please" } })).toBe(
      'MICRO_ERR_INVALID_OPTION: MICRO_TLS_INSECURE: expected true or false, got "yes please"',
    );
    expect(error({ argv: ["--tls_secure", "--tls_insecure"] })).toBe(
      "MICRO_ERR_INVALID_OPTION: --tls_secure=true and --tls_insecure=true contradict each other: verify certificates, or not",
    );
    expect(error({ argv: [`--tls_cert_file=${files.cert}`] })).toBe(
      "MICRO_ERR_INVALID_OPTION: --tls_cert_file and --tls_key_file go together: only --tls_cert_file was given",
    );
    expect(error({ argv: ["--tls_ca_file=/no/such/ca.pem"] })).toBe(
      'MICRO_ERR_INVALID_OPTION: --tls_ca_file: cannot read "/no/such/ca.pem": no such file',
    );
    const notPem = join(files.dir, "not.pem");
    writeFileSync(notPem, "hello\n");
    const bad = error({ argv: [`--tls_cert_file=${notPem}`, `--tls_key_file=${files.key}`] });
    expect(bad).toMatch(/^MICRO_ERR_INVALID_OPTION: --tls_cert_file, --tls_key_file: not usable: /);
    expect(bad).not.toContain("\n");
    expect(error({ argv: [`--tls_ca_file=${files.key}`] })).toBe(
      `MICRO_ERR_INVALID_OPTION: --tls_ca_file: no PEM certificate in "${files.key}"`,
    );
  });

  it("a service with a bad TLS flag does not start, with that one line; a misspelt flag is named", async () => {
    const start = (argv: string[]) =>
      createService({
        name: "tls.bad",
        ...testServiceOptions(),
        argv,
        logger: jsonLogger("error").logger,
      }).start();
    await expect(start(["--tls_ca_file=/no/such/ca.pem"])).rejects.toThrow(
      /^MICRO_ERR_INVALID_OPTION: --tls_ca_file: cannot read "\/no\/such\/ca\.pem": no such file$/,
    );
    await expect(start(["--tls_insecur"])).rejects.toThrow(
      /^MICRO_ERR_INVALID_OPTION: unknown flag --tls_insecur: did you mean --tls_insecure\?/,
    );
  });

  it("a serving service is warned when its listener stays plaintext or verification is off", async () => {
    const config = (argv: string[], env = {}) => resolveConfig(CORE_FLAGS, { argv, env });
    expect(tlsWarnings(config([]))).toEqual([]);
    expect(tlsWarnings(config(pair))).toEqual([]);
    expect(tlsWarnings(config(["--tls_secure"]))).toEqual([
      "TLS: calls and connections out use TLS, but without --tls_cert_file and --tls_key_file this service's listener serves plaintext: peers dialing it with TLS cannot reach it",
    ]);
    expect(tlsWarnings(config(pair, { MICRO_TLS_INSECURE: "true" }))).toEqual([
      "TLS: certificate verification is off (--tls_insecure / MICRO_TLS_INSECURE, or --tls_secure=false): peers are not authenticated; use it for self-signed development certificates only",
    ]);
    const log = jsonLogger("warn");
    const svc = createService({
      name: "tls.warned",
      ...testServiceOptions(),
      argv: [...pair, "--tls_insecure"],
      logger: log.logger,
    });
    await svc.start();
    await svc.stop();
    expect(log.lines.map((l) => l.msg)).toContain(
      tlsWarnings(config(pair, { MICRO_TLS_INSECURE: "true" }))[0],
    );
  });
});
