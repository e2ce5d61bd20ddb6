// What a user sees when a service cannot start: one line saying what and how to fix, a non-zero
// exit status, the stack only with --debug. Runs a real process (the built package).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./support/start-script.mjs", import.meta.url));

function start(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [script, ...args], {
    encoding: "utf8",
    timeout: 20_000,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  return { status: r.status, lines: r.stderr.trim().split("\n").filter(Boolean), stderr: r.stderr };
}

describe("start-up failures", () => {
  it("a misspelt flag is an error with a suggestion, not silently ignored", () => {
    const r = start(["--registy=etcd"]);
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      "starter: cannot start: MICRO_ERR_INVALID_OPTION: unknown flag --registy: did you mean --registry? (an app declares its own flags with createService({ flags: [...] }); see --help)",
    ]);
  });

  it("an app's own flags are known, listed by --help, and typos of them suggested", () => {
    const help = spawnSync(process.execPath, [script, "--help"], { encoding: "utf8", timeout: 20_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--greeting value\s+What to say \(default hello\)/);
    expect(start(["--greting=hi"]).lines[0]).toContain("did you mean --greeting?");
  });

  it("a bad flag value names the flag", () => {
    const r = start(["--register_ttl=abc"]);
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      'starter: cannot start: MICRO_ERR_INVALID_OPTION: --register_ttl: expected a duration such as 500ms, 30s or 1m (a bare number is seconds), got "abc"',
    ]);
  });

  it("a --server_workers typo or bad value is one line, before any worker is forked", () => {
    expect(start(["--server_worker=2"]).lines).toEqual([
      "starter: cannot start: MICRO_ERR_INVALID_OPTION: unknown flag --server_worker: did you mean --server_workers? (an app declares its own flags with createService({ flags: [...] }); see --help)",
    ]);
    const r = start(["--server_workers=abc"]);
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      'starter: cannot start: MICRO_ERR_INVALID_OPTION: --server_workers: expected an integer, got "abc"',
    ]);
  });

  it("a plugin name typo suggests the registered name", () => {
    const r = start(["--registry=etdc"]);
    expect(r.status).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toContain('unknown registry "etdc": did you mean "etcd"?');
    expect(r.stderr).not.toContain("@micro/registry-etdc");
  });

  it("an unreachable registry is one line after the retries' progress; --debug adds the stack", () => {
    const r = start([], { MICRO_TEST_UNREACHABLE: "1" });
    expect(r.status).toBe(1);
    // two retries logged as they happen, then the one line of the failure
    expect(r.lines.slice(0, 2).every((l) => / WARN .*registering starter \(attempt \d\/3\)/.test(l))).toBe(
      true,
    );
    expect(r.lines.slice(2)).toEqual([
      "starter: cannot start: cannot reach etcd at 127.0.0.1:1: connection refused",
    ]);
    const debug = start(["--debug"], { MICRO_TEST_UNREACHABLE: "1" });
    expect(debug.status).toBe(1);
    expect(debug.lines.length).toBeGreaterThan(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
