// `micro server`: go-micro v5's name for the gateway of its toolkit: the web dashboard at / with the
// /api routes, POST /rpc, WebSocket streams and /openapi.json in one process (the classic namespace
// routes are `micro api`'s).
import { UsageError } from "../args.js";
import type { Command } from "../command.js";
import { gatewayOptionSpecs, gatewayOptions } from "./gateway-options.js";
import { serveGateway } from "./gateway-serve.js";

export const serverCommand: Command = {
  names: [["server"]],
  usage: "micro server [--address host:port] [--auth-public-key file]",
  summary: "Run the micro server: the web dashboard, /api routes, streams and OpenAPI, until Ctrl-C",
  options: gatewayOptionSpecs(":8080"),
  async run(rt) {
    if (rt.args.positionals.length) throw new UsageError(`unexpected argument "${rt.args.positionals[0]}"`);
    const options = await gatewayOptions(rt, { classic: false });
    const { createDashboard } = await import("@micro/dashboard");
    return serveGateway(rt, "micro server", options, createDashboard);
  },
};
