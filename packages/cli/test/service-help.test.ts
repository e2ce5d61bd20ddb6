// A service's --help lists the flags of the plugins chosen by name, not only of those imported in
// code (the plugins are loaded before the help is printed).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./support/help-service.mjs", import.meta.url));

function help(...args: string[]): string {
  const r = spawnSync(process.execPath, [script, ...args, "--help"], { encoding: "utf8", timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe("service --help", () => {
  it("lists the flags of a plugin chosen by name", () => {
    const text = help("--registry=etcd", "--broker=kafka");
    expect(text).toMatch(/--etcd_timeout value\s+.*\(default 5s\)/);
    expect(text).toContain("--broker_kafka_partitions");
    // and the default plugins' own flags
    expect(text).toContain("--broker_http_max_body");
  });

  it("lists the default plugins' flags when none is chosen", () => {
    const text = help();
    expect(text).toContain("--mdns_domain");
    expect(text).not.toContain("--etcd_timeout");
  });
});
