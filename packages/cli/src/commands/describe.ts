// `micro describe <service>` (also `describe service`, `get service`, `registry get`): every
// version with one row per node and one per endpoint.
import type { Endpoint, Service, Value } from "@micro/core";
import { toGoService } from "@micro/core/plugin-kit";
import { UsageError } from "../args.js";
import type { Command } from "../command.js";
import { pairs, table } from "../output.js";
import { lookup } from "./lookup.js";

const typeOf = (v: Value | undefined) => v?.type || v?.name || "-";

/** What kind of endpoint it is, from go-micro's endpoint metadata. */
function kindOf(e: Endpoint): string {
  const md = e.metadata ?? {};
  if (md.subscriber === "true") return `subscriber ${md.topic ?? ""}`.trim();
  if (md.stream === "true") return "stream";
  return md.stream || "unary";
}

/** Request fields one level deep, so a reader can write the JSON for `micro call` from here. */
const fieldsOf = (v: Value | undefined) =>
  v?.values?.length ? `{${v.values.map((f) => `${f.name}:${f.type}`).join(", ")}}` : "";

function block(s: Service): string {
  const head = [`SERVICE   ${s.name}`, `VERSION   ${s.version || "-"}`];
  if (s.metadata && Object.keys(s.metadata).length) head.push(`METADATA  ${pairs(s.metadata)}`);
  const nodes = table(
    ["NODE", "ADDRESS", "METADATA"],
    s.nodes.map((n) => [n.id, n.address, pairs(n.metadata)]),
  );
  const endpoints = s.endpoints.length
    ? table(
        ["ENDPOINT", "KIND", "REQUEST", "RESPONSE"],
        s.endpoints.map((e) => [
          e.name,
          kindOf(e),
          `${typeOf(e.request)} ${fieldsOf(e.request)}`.trim(),
          typeOf(e.response),
        ]),
      )
    : "(no endpoints advertised)";
  return [head.join("\n"), nodes, endpoints].join("\n\n");
}

export const describeCommand: Command = {
  names: [["describe"], ["describe", "service"], ["get", "service"], ["registry", "get"]],
  usage: "micro describe <service> [--output json]",
  summary: "Show a service's versions, nodes and endpoints",
  options: [],
  async run(rt) {
    const [name, extra] = rt.args.positionals;
    if (!name) throw new UsageError("describe needs a service name");
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const services = await lookup(rt, name);
    // json is go-micro's registry JSON, so it can be fed back to `micro register service`
    if (rt.format === "json") rt.io.out(JSON.stringify(services.map(toGoService)));
    else rt.io.out(services.map(block).join("\n\n---\n\n"));
    return 0;
  },
};
