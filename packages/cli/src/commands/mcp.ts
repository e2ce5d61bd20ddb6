// `micro mcp serve`: every service in the registry a tool for AI agents, over the Model Context
// Protocol — on stdio by default (an MCP client starts this command; stdout is the protocol, so all
// we say goes to stderr), or Streamable HTTP at http://host:port/mcp with --address, behind the
// gateway's auth flags. `micro mcp list` prints the tools an agent would get.
import type { McpOptions } from "@micro/mcp";
import { type OptionSpec, UsageError } from "../args.js";
import { type Command, noArguments, type Runtime } from "../command.js";
import { table } from "../output.js";
import { gatewayOptionSpecs, gatewayOptions } from "./gateway-options.js";

const FILTERS: OptionSpec[] = [
  {
    name: "include",
    type: "list",
    description: "Only these tools: service, service.Endpoint or key=value metadata, globs ok (repeatable)",
  },
  { name: "exclude", type: "list", description: "Leave these out (same patterns; repeatable)" },
];

const SERVE_OPTIONS: OptionSpec[] = [
  {
    name: "address",
    type: "string",
    description: "Serve Streamable HTTP on host:port at /mcp instead of stdio",
  },
  ...FILTERS,
  {
    name: "tool-rate-limit",
    type: "string",
    description: "Calls per second per tool, all callers (default off)",
  },
  {
    name: "tool-rate-burst",
    type: "string",
    description: "Burst above the per-tool rate (default: the rate)",
  },
  {
    name: "max-stream-messages",
    type: "string",
    description: "Messages of a server stream one result collects (default 1000)",
  },
  // the gateway's flags (timeout, TLS, auth, CORS, limits); --address is ours, with its own meaning
  ...gatewayOptionSpecs("").filter((s) => s.name !== "address"),
];

function patterns(rt: Runtime, name: string): string[] {
  const v = rt.args.options[name] as string[] | undefined;
  return (v ?? [])
    .flatMap((p) => p.split(","))
    .map((p) => p.trim())
    .filter(Boolean);
}

function positive(rt: Runtime, name: string): number | undefined {
  const v = rt.args.options[name] as string | undefined;
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} wants a positive number, got "${v}"`);
  return n;
}

function mcpOptions(rt: Runtime): McpOptions {
  const rate = positive(rt, "tool-rate-limit");
  const burst = positive(rt, "tool-rate-burst");
  if (burst !== undefined && rate === undefined)
    throw new UsageError("--tool-rate-burst needs --tool-rate-limit");
  const max = positive(rt, "max-stream-messages");
  return {
    include: patterns(rt, "include"),
    exclude: patterns(rt, "exclude"),
    ...(rate !== undefined ? { toolRateLimit: { rate, ...(burst !== undefined ? { burst } : {}) } } : {}),
    ...(max !== undefined ? { maxStreamMessages: max } : {}),
  };
}

export const mcpServeCommand: Command = {
  names: [["mcp", "serve"]],
  usage: "micro mcp serve [--address host:port] [--include pattern] [--exclude pattern] [--auth-secret s]",
  summary: "Serve every service as a tool for AI agents (Model Context Protocol, stdio or HTTP)",
  options: SERVE_OPTIONS,
  async run(rt) {
    noArguments(rt);
    const http = rt.args.options.address !== undefined;
    const g = await gatewayOptions(rt);
    const { listenMcp, serveStdio } = await import("@micro/mcp");
    const options: McpOptions = {
      ...mcpOptions(rt),
      service: g.service!,
      ...(g.timeout ? { timeout: g.timeout } : {}),
    };
    if (!http) {
      const session = await serveStdio(options);
      rt.io.err("micro mcp: serving the registry's services as MCP tools on stdio");
      await Promise.race([session.closed, rt.interrupted]);
      await session.close();
      return 0;
    }
    const listener = await listenMcp({ ...g, ...options });
    const auth = g.auth
      ? "bearer token required"
      : "no auth (anyone who reaches the port may call every tool)";
    if (rt.format === "json") rt.io.out(JSON.stringify({ mcp: listener.url, auth: Boolean(g.auth) }));
    // always said (on stderr): scripts and tests wait for this line
    rt.io.err(`mcp listening on ${listener.url} (${auth}); Ctrl-C to stop`);
    await rt.interrupted;
    await listener.close();
    return 0;
  },
};

export const mcpListCommand: Command = {
  names: [["mcp", "list"]],
  usage: "micro mcp list [--include pattern] [--exclude pattern] [--output json]",
  summary: "List the MCP tools `micro mcp serve` would offer",
  options: FILTERS,
  async run(rt) {
    noArguments(rt);
    const { createMcpServer } = await import("@micro/mcp");
    const server = createMcpServer({ ...mcpOptions(rt), service: rt.service() });
    try {
      const tools = await server.tools();
      if (rt.format === "json") rt.io.out(JSON.stringify(tools.map((t) => t.tool)));
      else if (!tools.length) rt.io.err("no tools: no services registered, or the filters keep none");
      else
        rt.io.out(
          table(
            ["TOOL", "DESCRIPTION"],
            tools.map((t) => [t.tool.name, (t.tool.description ?? "").split("\n")[0]!]),
          ),
        );
    } finally {
      await server.close();
    }
    return 0;
  },
};

export const mcpCommands: readonly Command[] = [mcpServeCommand, mcpListCommand];
