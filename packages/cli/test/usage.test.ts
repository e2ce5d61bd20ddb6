// The command line itself: help, bad input and exit codes, with no server needed.
import { describe, expect, it } from "vitest";
import { cleanEnv, expectOneLineError, micro } from "./helpers.js";

describe("micro without a server", () => {
  it("prints help listing every command and the global flags of the plugins in use", async () => {
    const r = await micro(["--help"]);
    expect(r.code).toBe(0);
    for (const c of [
      "services",
      "describe",
      "call",
      "stream",
      "stream bidi",
      "health",
      "publish",
      "subscribe",
    ])
      expect(r.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
    for (const c of ["registry watch", "register service", "deregister service", "completion"])
      expect(r.stdout).toContain(`  ${c} `);
    expect(r.stdout).toContain("--registry_address");
    expect(r.stdout).toContain("[$MICRO_REGISTRY]");
    // a plugin outside the default stack is loaded, its flags with it, once a flag chooses it
    expect(r.stdout).not.toMatch(/--\w*nats\w*/);
    expect((await micro(["--registry=nats", "--help"])).stdout).toMatch(/--\w*nats\w*/);
    expect(r.stdout).toContain("Exit codes:");
  });

  it("has --help for every command, with its other spellings", async () => {
    const call = await micro(["call", "--help"]);
    expect(call.code).toBe(0);
    expect(call.stdout).toContain("Usage: micro call <service> <Endpoint>");
    expect(call.stdout).toContain("micro query");
    expect(call.stdout).toMatch(/-H, --header/);
    const get = await micro(["help", "registry", "get"]);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain("Usage: micro describe <service>");
  });

  it("rejects an unknown command with a suggestion and exit code 2", async () => {
    const r = await micro(["servces"]);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)).toContain('unknown command "servces"; did you mean "services"?');
    expect(r.stdout).toBe("");
    const group = await micro(["registry", "lst"]);
    expect(group.code).toBe(2);
    expect(expectOneLineError(group)).toContain('did you mean "registry list"?');
  });

  it("rejects unknown flags, bad --output and malformed JSON before touching the network", async () => {
    // an unreachable registry proves nothing was dialled: these fail fast with 2, not 4
    const env = cleanEnv({ MICRO_REGISTRY: "etcd", MICRO_REGISTRY_ADDRESS: "127.0.0.1:1" });
    const flag = await micro(["call", "greeter", "Greeter.Hello", "--nope"], env);
    expect(flag.code).toBe(2);
    expect(expectOneLineError(flag)).toContain("unknown flag --nope");
    const json = await micro(["call", "greeter", "Greeter.Hello", '{"name":'], env);
    expect(json.code).toBe(2);
    expect(expectOneLineError(json)).toMatch(/the request is not valid JSON/);
    const out = await micro(["services", "--output", "yaml"], env);
    expect(out.code).toBe(2);
    expect(expectOneLineError(out)).toContain("--output must be table or json");
    const missing = await micro(["call", "greeter"], env);
    expect(missing.code).toBe(2);
    expect(expectOneLineError(missing)).toContain("call needs <service> <Endpoint>");
    const register = await micro(["register", "service", '{"name":"x"}'], env);
    expect(register.code).toBe(2);
    expect(expectOneLineError(register)).toContain("has no nodes");
  });

  it("prints usage errors as JSON on stderr with --output json", async () => {
    const r = await micro(["publish", "t", "not json", "--output", "json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.detail).toMatch(/the message is not valid JSON/);
  });

  it("reports an unreachable registry in one line with exit code 4, and the stack only with --debug", async () => {
    const env = cleanEnv({ MICRO_REGISTRY: "etcd", MICRO_REGISTRY_ADDRESS: "127.0.0.1:1" });
    const r = await micro(["services"], env);
    expect(r.code).toBe(4);
    expect(expectOneLineError(r)).toMatch(/cannot reach etcd at .*127\.0\.0\.1:1/);
    const viaFlag = await micro(["describe", "greeter", "--registry=etcd", "--registry_address=127.0.0.1:1"]);
    expect(viaFlag.code).toBe(4);
    const debug = await micro(["services", "--debug"], env);
    expect(debug.code).toBe(4);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it("prints completion scripts and completes commands, flags and plugin names", async () => {
    for (const shell of ["bash", "zsh", "fish"]) {
      const r = await micro(["completion", shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("micro __complete");
    }
    expect((await micro(["completion", "tcsh"])).code).toBe(2);
    const words = async (...w: string[]) => (await micro(["__complete", ...w])).stdout.trim().split("\n");
    expect(await words("de")).toEqual(["deregister", "describe"]);
    expect(await words("registry", "")).toEqual(["get", "list", "watch"]);
    expect(await words("call", "--he")).toEqual(["--header", "--help"]);
    expect(await words("--registry", "")).toEqual(expect.arrayContaining(["consul", "etcd", "mdns", "nats"]));
    expect(await words("completion", "")).toEqual(["bash", "fish", "zsh"]);
  });

  it("prints its version", async () => {
    const r = await micro(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
