// pinoLogger against real pino: what plugins call, child fields, levels, and a service on the
// default stack (http transport) logging its calls and handler errors through pino.
import { afterEach, describe, expect, it } from "vitest";
import "@micro/defaults";
import { createClient, createService, type MicroService, silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { pino } from "pino";
import { pinoLogger } from "../src/index.js";

type Line = Record<string, unknown> & { level: number; msg: string };

function capture(level = "debug") {
  const lines: Line[] = [];
  const logger = pino({ level }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  return { lines, pino: logger, logger: pinoLogger(logger) };
}

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe("pinoLogger", () => {
  it("keeps plugins' calls working: formatting, an Error as err, trailing fields", () => {
    const { lines, logger } = capture();
    logger.info("listening on %s", "127.0.0.1:1");
    logger.warn("reply failed:", new Error("EPIPE"));
    logger.debug("lookup", { service: "greeter" });
    logger.error("as text %j", { a: 1 });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [30, "listening on 127.0.0.1:1"],
      [40, "reply failed:"],
      [20, "lookup"],
      [50, 'as text {"a":1}'],
    ]);
    expect(lines[1]!.err).toMatchObject({ type: "Error", message: "EPIPE" });
    expect(lines[2]!.service).toBe("greeter");
  });

  it("turns fields into child bindings and answers level questions from pino", () => {
    const { lines, logger, pino: p } = capture("info");
    logger.child!({ service: "greeter" }).child!({ endpoint: "Greeter.Hello" }).info("hi");
    expect(lines[0]).toMatchObject({ msg: "hi", service: "greeter", endpoint: "Greeter.Hello" });
    expect(logger.isLevelEnabled!("debug")).toBe(false);
    expect(logger.isLevelEnabled!("silent")).toBe(false);
    p.level = "debug";
    expect(logger.isLevelEnabled!("debug")).toBe(true);
  });

  it("logs a service's calls (at debug) and handler errors with their fields", async () => {
    const { lines, logger } = capture();
    const registry = new MemoryRegistry();
    const opts = { registry, broker: "memory", argv: [], env: {}, address: "127.0.0.1:0" };
    const service = createService({ name: "greeter", ...opts, logger }) as MicroService;
    service.handle("Greeter", {
      async hello(_ctx: unknown, req: { name: string }) {
        return { msg: `Hello ${req.name}` };
      },
      async crash() {
        throw new Error("kaboom");
      },
    });
    await service.start();
    const client = createClient({ ...opts, logger: silentLogger });
    cleanup.push(
      () => client.close(),
      () => service.stop(),
    );
    await client.call("greeter", "Greeter.Hello", { name: "Ann" });
    await expect(client.call("greeter", "Greeter.Crash", {})).rejects.toMatchObject({ code: 500 });
    const node = `greeter-${service.server.id}`;
    expect(lines.find((l) => l.msg === "Greeter.Hello served")).toMatchObject({
      level: 20,
      service: "greeter",
      node,
      endpoint: "Greeter.Hello",
      request_id: "0",
      status: 200,
    });
    expect(lines.find((l) => l.level === 50)).toMatchObject({
      msg: "Greeter.Crash failed: kaboom",
      service: "greeter",
      node,
      endpoint: "Greeter.Crash",
      error: "kaboom",
      stack: expect.stringContaining("Error: kaboom"),
    });
  });
});
