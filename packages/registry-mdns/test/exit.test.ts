// A process only watching (a client's registry cache) ends by itself once its work is done; one that
// registered a node stays alive for it until the node is deregistered.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));

/** Runs the fixture to its end; rejects if it is still running after 5 s. */
const run = (mode: "watch" | "register") =>
  promisify(execFile)(
    process.execPath,
    [
      "--disable-warning=ExperimentalWarning",
      "--import",
      fixture("ts-hooks.mjs"),
      fixture("hold.ts"),
      mode,
      `hold-${randomUUID().slice(0, 8)}`,
    ],
    { timeout: 5_000, env: { ...process.env, MICRO_MDNS_INTERFACE: "127.0.0.1" } },
  );

describe("the group socket and the process", () => {
  it("does not keep a process that only watches and looks up alive", { timeout: 10_000 }, async () => {
    const { stdout } = await run("watch");
    expect(JSON.parse(stdout)).toEqual({ found: 0 });
  });

  it("keeps the process alive while a node is registered, then lets it end", {
    timeout: 10_000,
  }, async () => {
    const { stdout } = await run("register");
    expect(stdout.trim().split("\n")).toEqual(["registered", "deregistered"]);
  });
});
