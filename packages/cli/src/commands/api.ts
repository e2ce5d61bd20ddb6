// `micro api`: the API gateway — go-micro v5's /api routes, the classic Micro API's namespace
// routes and handlers, POST /rpc, WebSocket streams and /openapi.json — until Ctrl-C.
import { UsageError } from "../args.js";
import { type Command, noArguments } from "../command.js";
import { gatewayOptionSpecs, gatewayOptions } from "./gateway-options.js";
import { API_ROUTES, MCP_ROUTE, serveGateway } from "./gateway-serve.js";

const HANDLERS = ["rpc", "api", "http", "proxy", "event", "web"] as const;

export const apiCommand: Command = {
  names: [["api"]],
  usage: "micro api [--address host:port] [--handler rpc] [--namespace go.micro.api] [--auth-secret s]",
  summary: "Run the API gateway: HTTP and WebSocket into every service, until Ctrl-C",
  options: [
    ...gatewayOptionSpecs(":8080"),
    {
      name: "handler",
      type: "string",
      description: `Handler of the classic routes: ${HANDLERS.join(", ")} (default rpc)`,
    },
    {
      name: "namespace",
      type: "string",
      description: "Namespace of the classic routes (default go.micro.api)",
    },
    {
      name: "web-namespace",
      type: "string",
      description: "Namespace of web services (default go.micro.web)",
    },
  ],
  async run(rt) {
    noArguments(rt);
    const o = rt.args.options;
    const handler = o.handler as (typeof HANDLERS)[number] | undefined;
    if (handler && !HANDLERS.includes(handler)) {
      throw new UsageError(`--handler must be one of ${HANDLERS.join(", ")}, got "${handler}"`);
    }
    const options = await gatewayOptions(rt, {
      ...(handler ? { handler } : {}),
      ...(o.namespace !== undefined ? { namespace: o.namespace as string } : {}),
      ...(o["web-namespace"] !== undefined ? { webNamespace: o["web-namespace"] as string } : {}),
    });
    const { mcpRoute } = await import("@micro/mcp");
    options.routes = [...(options.routes ?? []), mcpRoute()];
    return serveGateway(rt, "api gateway", options, undefined, [
      ...API_ROUTES,
      MCP_ROUTE,
      ["*", "/{service}/{Handler.Method}", "go-micro v5 micro api route"],
      [
        "*",
        "/greeter/say/hello",
        `classic: ${options.namespace ?? "go.micro.api"}.greeter Say.Hello (${options.handler ?? "rpc"} handler)`,
      ],
    ]);
  },
};
