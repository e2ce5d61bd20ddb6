// `micro server`: go-micro v5's name for the gateway of its toolkit: the web dashboard at / with the
// /api routes, POST /rpc, WebSocket streams, /openapi.json and /mcp in one process (the classic namespace
// routes are `micro api`'s).
import { UsageError } from "../args.js";
import type { Command } from "../command.js";
import { gatewayOptionSpecs, gatewayOptions } from "./gateway-options.js";
import { API_ROUTES, MCP_ROUTE, serveGateway } from "./gateway-serve.js";

export const serverCommand: Command = {
  names: [["server"]],
  usage: "micro server [--address host:port] [--auth-public-key file]",
  summary: "Run the micro server: the web dashboard, /api routes, streams and OpenAPI, until Ctrl-C",
  options: gatewayOptionSpecs(":8080"),
  async run(rt) {
    if (rt.args.positionals.length) throw new UsageError(`unexpected argument "${rt.args.positionals[0]}"`);
    const options = await gatewayOptions(rt, { classic: false });
    // the protocol's Streamable HTTP transport for AI agents, behind the same auth and limits
    const { mcpRoute } = await import("@micro/mcp");
    options.routes = [...(options.routes ?? []), mcpRoute()];
    const { createDashboard } = await import("@micro/dashboard");
    return serveGateway(rt, "micro server", options, createDashboard, [
      ["GET", "/", "the web dashboard"],
      ...API_ROUTES,
      MCP_ROUTE,
    ]);
  },
};
