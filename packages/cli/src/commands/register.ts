// `micro register service '<json>'` and `micro deregister service '<json>'`: go-micro registry JSON
// (what `micro describe --output json` prints, one object or an array) parsed by core's parseService.
import type { Service } from "@micro/core";
import { parseDuration, parseService } from "@micro/core/plugin-kit";
import { UsageError } from "../args.js";
import type { Command, Runtime } from "../command.js";
import { parseJsonArg } from "../output.js";

function servicesOf(positionals: string[], verb: string): Service[] {
  const [text, extra] = positionals;
  if (text === undefined)
    throw new UsageError(`${verb} needs the service as JSON, e.g. '{"name":"greeter","nodes":[...]}'`);
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}" (quote the JSON)`);
  const v = JSON.parse(parseJsonArg(text, "the service")) as unknown;
  const list = Array.isArray(v) ? v : [v];
  return list.map((s) => {
    let svc: Service;
    try {
      svc = parseService(s);
    } catch (err) {
      throw new UsageError(`not a registry service: ${(err as Error).message}`);
    }
    if (!svc.name) throw new UsageError("not a registry service: it has no name");
    if (!svc.nodes.length) throw new UsageError(`service ${svc.name} has no nodes to ${verb}`);
    return svc;
  });
}

function report(rt: Runtime, verb: string, services: Service[]): void {
  const nodes = services.flatMap((s) => s.nodes.map((n) => n.id));
  if (rt.format === "json") rt.io.out(JSON.stringify({ [verb]: services.map((s) => s.name), nodes }));
  else
    rt.io.err(
      `${verb} ${services.map((s) => `${s.name} (${s.nodes.length} node${s.nodes.length === 1 ? "" : "s"})`).join(", ")}`,
    );
}

export const registerCommand: Command = {
  names: [["register", "service"], ["register"]],
  usage: "micro register service '<json>' [--ttl 60s]",
  summary: "Register a service from go-micro registry JSON",
  options: [{ name: "ttl", type: "string", description: "Entry lifetime, Go duration (default: no expiry)" }],
  async run(rt) {
    const services = servicesOf(rt.args.positionals, "register");
    const ttlFlag = rt.args.options.ttl;
    let ttl: number | undefined;
    if (typeof ttlFlag === "string") {
      try {
        ttl = parseDuration(ttlFlag);
      } catch {
        throw new UsageError(`--ttl wants a duration such as 30s or 5m, got "${ttlFlag}"`);
      }
    }
    const registry = await rt.registry();
    for (const s of services) await registry.register(s, ttl ? { ttl } : {});
    report(rt, "registered", services);
    return 0;
  },
};

export const deregisterCommand: Command = {
  names: [["deregister", "service"], ["deregister"]],
  usage: "micro deregister service '<json>'",
  summary: "Deregister the nodes of a service given as go-micro registry JSON",
  options: [],
  async run(rt) {
    const services = servicesOf(rt.args.positionals, "deregister");
    const registry = await rt.registry();
    for (const s of services) await registry.deregister(s);
    report(rt, "deregistered", services);
    return 0;
  },
};
