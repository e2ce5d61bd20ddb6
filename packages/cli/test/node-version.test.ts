// `engines` enforced at run time: on a Node.js older than the packages' `engines.node`, the `micro`
// binary says so in one line (exit 1) before any of the CLI or @micro/core loads.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { NODE_MAJOR_MIN as CORE_MIN } from "@micro/core/internal";
import { describe, expect, it } from "vitest";
import { NODE_MAJOR_MIN, oldNodeMessage } from "../src/node-check.js";
import { BIN, cleanEnv } from "./helpers.js";

/** Runs the real binary with process.versions.node made to read `version` before it starts. */
function microOn(version: string, args: string[]) {
  const pretend = `Object.defineProperty(process.versions, "node", { value: ${JSON.stringify(version)} });`;
  return spawnSync(
    process.execPath,
    ["--import", `data:text/javascript,${encodeURIComponent(pretend)}`, BIN, ...args],
    // an unreachable registry: had the command run, it would fail differently (exit 4)
    {
      encoding: "utf8",
      timeout: 20_000,
      env: cleanEnv({ MICRO_REGISTRY: "etcd", MICRO_REGISTRY_ADDRESS: "127.0.0.1:1" }),
    },
  );
}

describe("the micro binary on an old Node.js", () => {
  it("refuses in one line, before the CLI or core loads", () => {
    const r = microOn("20.11.1", ["services"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("micro: Node.js 22 or newer is required; this is Node.js 20.11.1\n");
  });

  it("runs on a supported one", () => {
    const r = microOn(`${NODE_MAJOR_MIN}.0.0`, ["--version"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("agrees with core's minimum and the package's engines", () => {
    expect(NODE_MAJOR_MIN).toBe(CORE_MIN);
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(pkg.engines.node).toBe(`>=${NODE_MAJOR_MIN}`);
    expect(oldNodeMessage("21.99.0")).toMatch(/this is Node\.js 21\.99\.0$/);
    expect(oldNodeMessage("22.0.0")).toBeUndefined();
    expect(oldNodeMessage("v18")).toBeDefined();
  });
});
