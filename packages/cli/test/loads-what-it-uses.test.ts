// Issue 19: a command loads only what it uses. `micro --help` lists the default stack's flags from
// the package index without importing any plugin; `micro services` imports its registry and
// nothing else (no transport, broker, selector or codec).
import { listPlugins } from "@micro/core";
import { describe, expect, it } from "vitest";
import { run } from "../src/main.js";

// the CLI's own output parses JSON with the json codec's parser (exact int64), so that one is in
const loaded = () =>
  listPlugins()
    .map((p) => `${p.kind}:${p.name}`)
    .filter((p) => p !== "codec:json");

describe("what a command loads", () => {
  it("--help: no plugin, yet every flag of the default stack", async () => {
    const out: string[] = [];
    expect(await run(["--help"], { io: { out: (l) => out.push(l), err: (l) => out.push(l) } })).toBe(0);
    expect(loaded()).toEqual([]);
    const help = out.join("\n");
    for (const flag of [
      "--mdns_timeout",
      "--transport_idle_timeout",
      "--broker_http_max_body",
      "--selector_ttl",
    ])
      expect(help).toContain(flag);
  });

  it("services: the registry alone", async () => {
    const out: string[] = [];
    const code = await run(["services", "--registry=memory", "--output=json"], {
      io: { out: (l) => out.push(l), err: (l) => out.push(l) },
    });
    expect(code).toBe(0);
    expect(JSON.parse(out.join("\n"))).toEqual([]);
    expect(loaded()).toEqual(["registry:memory"]);
  });
});
