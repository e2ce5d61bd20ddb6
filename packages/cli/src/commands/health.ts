// `micro health <service>`: asks every node directly (bypassing the selector) for go-micro's
// Debug.Health. A go-micro v5 service only has that endpoint when it registers the debug handler
// itself (v5 no longer does by default), so a node that answers "can't find Debug" still proves it
// is up and speaking the protocol; only a node that cannot be reached is down.
import { MicroError, type Node } from "@micro/core";
import { UsageError } from "../args.js";
import type { Command, Runtime } from "../command.js";
import { ExitCode } from "../exit-codes.js";
import { table } from "../output.js";
import { CALL_OPTIONS, callOptions } from "./call-options.js";
import { lookup } from "./lookup.js";

export interface NodeHealth {
  service: string;
  version: string;
  node: string;
  address: string;
  /** ok: Debug.Health said ok; serving: answered without a Debug handler; unhealthy; down. */
  status: "ok" | "serving" | "unhealthy" | "down";
  detail: string;
  latencyMs: number;
}

/** The router's answer for a missing handler, the same text from a Go and a TypeScript server. */
const NO_HANDLER = /can't find (service|method)/;

async function probe(rt: Runtime, name: string, version: string, node: Node): Promise<NodeHealth> {
  const started = performance.now();
  const base = { service: name, version: version || "-", node: node.id, address: node.address };
  const options = { timeout: 5_000, ...callOptions(rt), address: node.address, retries: 0 };
  options.attemptTimeout ??= options.timeout;
  try {
    const rsp = (await rt.service().client.call(name, "Debug.Health", {}, options)) as { status?: string };
    const latencyMs = Math.round(performance.now() - started);
    const ok = rsp?.status === "ok";
    return {
      ...base,
      status: ok ? "ok" : "unhealthy",
      detail: `Debug.Health: ${rsp?.status ?? "no status"}`,
      latencyMs,
    };
  } catch (err) {
    const latencyMs = Math.round(performance.now() - started);
    if (!(err instanceof MicroError)) return { ...base, status: "down", detail: String(err), latencyMs };
    const fromNode = !err.id.startsWith("go.micro.client");
    if (fromNode && NO_HANDLER.test(err.detail))
      return { ...base, status: "serving", detail: "reachable; no Debug.Health endpoint", latencyMs };
    return { ...base, status: fromNode ? "unhealthy" : "down", detail: err.detail, latencyMs };
  }
}

export const healthCommand: Command = {
  names: [["health"], ["health", "check"]],
  usage: "micro health <service> [--timeout 5s] [--output json]",
  summary: "Check every node of a service (Debug.Health, else reachability); exit 1 if any is down",
  options: CALL_OPTIONS.filter((o) => o.name === "timeout" || o.name === "header" || o.name === "metadata"),
  async run(rt) {
    const [name, extra] = rt.args.positionals;
    if (!name) throw new UsageError("health needs a service name");
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const services = await lookup(rt, name);
    const probes = services.flatMap((s) => s.nodes.map((n) => probe(rt, s.name, s.version, n)));
    if (probes.length === 0)
      throw MicroError.internal("go.micro.client", `error selecting ${name} node: none available`);
    rt.io.progress(`checking ${probes.length} node${probes.length === 1 ? "" : "s"}…`);
    const results = await Promise.all(probes);
    const healthy = results.every((r) => r.status === "ok" || r.status === "serving");
    if (rt.format === "json") rt.io.out(JSON.stringify({ service: name, healthy, nodes: results }));
    else
      rt.io.out(
        table(
          ["NODE", "ADDRESS", "VERSION", "STATUS", "LATENCY", "DETAIL"],
          results.map((r) => [r.node, r.address, r.version, r.status, `${r.latencyMs}ms`, r.detail]),
        ),
      );
    return healthy ? ExitCode.Ok : ExitCode.Failure;
  },
};
