// Logging: --log_level / --log_format applied to the logger a service builds, structured fields
// (service, node, endpoint, request id) and the debug lines an operator turns on to see calls.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type Context,
  createLogger,
  type Logger,
  type MicroService,
  setLogger,
  withFields,
} from "../src/index.js";
import { CORE_FLAGS, resolveConfig } from "../src/internal.js";
import { jsonLogger, type LogLine } from "./support/logs.js";
import { testWorld } from "./support/world.js";

const started: MicroService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  vi.restoreAllMocks();
});

const world = () => testWorld(started);

const hello = {
  async hello(ctx: Context, req: { name: string }) {
    ctx.logger.info(`greeting ${req.name}`);
    return { msg: `Hello ${req.name}` };
  },
};

/** What the process writes to stderr while `fn` runs, as lines. */
async function stderrOf(fn: () => Promise<void>): Promise<string[]> {
  const out: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: unknown) => {
    out.push(String(chunk));
    return true;
  });
  await fn();
  vi.restoreAllMocks();
  return out.join("").split("\n").filter(Boolean);
}

describe("createLogger", () => {
  it("writes one JSON object per line: time, level, msg, then the fields", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "info", format: "json", write: (l) => lines.push(l) });
    const child = log.child!({ service: "greeter" }).child!({ endpoint: "Greeter.Hello" });
    child.info("served %s in %d ms", "Greeter.Hello", 3);
    child.debug("not at info");
    log.error("boom", { extra: 1 });
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.endsWith("}\n") && !l.slice(0, -1).includes("\n"))).toBe(true);
    const first = JSON.parse(lines[0]!);
    expect(Object.keys(first)).toEqual(["time", "level", "msg", "service", "endpoint"]);
    expect(first).toMatchObject({
      level: "info",
      msg: "served Greeter.Hello in 3 ms",
      service: "greeter",
      endpoint: "Greeter.Hello",
    });
    expect(new Date(first.time).toISOString()).toBe(first.time);
    expect(JSON.parse(lines[1]!).msg).toBe("boom { extra: 1 }");
  });

  it("writes text as `time LEVEL [micro] msg k=v`, a stack on the lines after", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "debug", format: "text", write: (l) => lines.push(l) });
    log.child!({ service: "greeter", detail: "two words", stack: "Error: x\n    at y" }).debug("hi");
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z DEBUG \[micro\] hi service=greeter detail="two words"\nError: x\n {4}at y\n$/,
    );
  });

  it("says which levels it writes, silent writing none", () => {
    const warn = createLogger({ level: "warn", write: () => {} });
    expect(["debug", "info", "warn", "error"].map((l) => warn.isLevelEnabled!(l as "debug"))).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(createLogger({ level: "silent", write: () => {} }).isLevelEnabled!("error")).toBe(false);
  });

  it("gives a logger without child its fields as a trailing argument", () => {
    const calls: unknown[][] = [];
    const plain: Logger = {
      debug: (...a) => calls.push(["debug", ...a]),
      info: (...a) => calls.push(["info", ...a]),
      warn: (...a) => calls.push(["warn", ...a]),
      error: (...a) => calls.push(["error", ...a]),
    };
    withFields(withFields(plain, { service: "s" }), { endpoint: "E.F" }).warn("late", 5);
    expect(calls).toEqual([["warn", "late", 5, { service: "s", endpoint: "E.F" }]]);
  });
});

describe("--log_level and --log_format", () => {
  it("are core flags with MICRO_LOG_* env vars, info and text by default", () => {
    expect(resolveConfig(CORE_FLAGS, { env: {}, argv: [] })).toMatchObject({
      log_level: "info",
      log_format: "text",
    });
    expect(
      resolveConfig(CORE_FLAGS, { env: { MICRO_LOG_LEVEL: "DEBUG", MICRO_LOG_FORMAT: "json" }, argv: [] }),
    ).toMatchObject({ log_level: "debug", log_format: "json" });
    expect(
      resolveConfig(CORE_FLAGS, { env: { MICRO_LOG_LEVEL: "debug" }, argv: ["--log-level=error"] }).log_level,
    ).toBe("error");
  });

  it("refuse other values in one line naming the flag", () => {
    expect(() => resolveConfig(CORE_FLAGS, { env: {}, argv: ["--log_level=verbose"] })).toThrow(
      '--log_level: expected one of debug, info, warn, error, silent, got "verbose"',
    );
    expect(() => resolveConfig(CORE_FLAGS, { env: {}, argv: [], options: { log_format: "xml" } })).toThrow(
      'option log_format: expected one of text, json, got "xml"',
    );
  });

  it("shape the logger a service builds: at debug, plugin choices, registration and every call", async () => {
    const { mk } = world();
    const json = ["--log_level=debug", "--log_format=json"];
    const out = await stderrOf(async () => {
      const srv = mk("greeter", { logger: undefined, argv: json, id: "n1" }).handle("Greeter", hello);
      await srv.start();
      await mk("caller").client.call("greeter", "Greeter.Hello", { name: "Ann" });
      await srv.stop();
    });
    const lines = out.map((l) => JSON.parse(l) as LogLine);
    expect(lines.every((l) => l.service === "greeter")).toBe(true);
    expect(lines.find((l) => l.msg === "plugins")).toMatchObject({
      level: "debug",
      registry: "test",
      transport: "memory",
      broker: "test",
      selector: "test",
    });
    expect(lines.find((l) => l.msg === "serving")).toMatchObject({
      node: "greeter-n1",
      endpoints: ["Greeter.Hello"],
    });
    expect(lines.find((l) => l.msg.startsWith("registered greeter"))).toMatchObject({ level: "info" });
    // the handler's ctx.logger carries the call's fields
    expect(lines.find((l) => l.msg === "greeting Ann")).toMatchObject({
      level: "info",
      node: "greeter-n1",
      endpoint: "Greeter.Hello",
      request_id: "0",
    });
    const served = lines.find((l) => l.msg === "Greeter.Hello served");
    expect(served).toMatchObject({ level: "debug", endpoint: "Greeter.Hello", request_id: "0", status: 200 });
    expect(served!.duration_ms).toBeTypeOf("number");
  });

  it("at info, a service says nothing per call; text lines by default", async () => {
    const { mk } = world();
    const out = await stderrOf(async () => {
      const srv = mk("greeter", { logger: undefined }).handle("Greeter", hello);
      await srv.start();
      await mk("caller").client.call("greeter", "Greeter.Hello", { name: "Ann" });
      await srv.stop();
    });
    expect(
      out.some((l) => /^\S+ INFO \[micro\] registered greeter .* service=greeter node=greeter-/.test(l)),
    ).toBe(true);
    expect(out.some((l) => l.includes("DEBUG"))).toBe(false);
    expect(out.some((l) => l.includes("greeting Ann") && l.includes("endpoint=Greeter.Hello"))).toBe(true);
  });

  it("leave an application's own logger (or setLogger's) alone, adding the service's fields", async () => {
    const { mk } = world();
    const { logger, lines } = jsonLogger("warn");
    const srv = mk("greeter", { logger, argv: ["--log_level=debug"] }).handle("Greeter", hello);
    await srv.start();
    await mk("caller").client.call("greeter", "Greeter.Hello", { name: "Ann" });
    expect(lines).toEqual([]);
    srv.logger.warn("mine");
    expect(lines).toMatchObject([{ msg: "mine", service: "greeter" }]);

    const installed = jsonLogger("info");
    setLogger(installed.logger);
    try {
      const other = mk("other", { logger: undefined, argv: ["--log_level=silent"] });
      other.logger.info("installed");
      expect(installed.lines).toMatchObject([{ msg: "installed", service: "other" }]);
    } finally {
      setLogger(undefined);
    }
  });
});
