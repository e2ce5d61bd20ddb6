// Running a gateway from the CLI: listen, say where (and what is open to whom), serve until Ctrl-C,
// then stop taking requests and let those in flight finish.
import type { Gateway, GatewayOptions, SidecarOptions } from "@micro/gateway";
import type { Runtime } from "../command.js";

/** The routes a command serves, printed under the listening line as go-micro's `micro api` does. */
export type RouteLines = readonly (readonly [method: string, path: string, what: string])[];

export const API_ROUTES: RouteLines = [
  ["POST", "/api/{service}/{Endpoint}", "call an endpoint (JSON in, JSON out)"],
  ["WS", "/api/{service}/{Endpoint}", "a stream: one text frame per message"],
  ["GET", "/api", "list services"],
  ["POST", "/rpc", '{"service","endpoint","request"}'],
  ["GET", "/openapi.json", "OpenAPI 3.1 from the registry"],
  ["GET", "/health", "health check"],
  ["GET", "/stats", "counters"],
];

/** /mcp, where `micro api` and `micro server` mount the protocol's Streamable HTTP transport. */
export const MCP_ROUTE = ["POST", "/mcp", "Model Context Protocol: every endpoint a tool"] as const;

export async function serveGateway(
  rt: Runtime,
  what: string,
  options: SidecarOptions,
  create?: (options: SidecarOptions) => Gateway,
  routes: RouteLines = API_ROUTES,
): Promise<number> {
  const make = create ?? (await import("@micro/gateway")).createGateway;
  const gateway = make(options as GatewayOptions);
  const address = await gateway.listen();
  const scheme = options.tls ? "https" : "http";
  const auth = options.auth
    ? "bearer token required"
    : "no auth (anyone who reaches the port may call every service)";
  if (rt.format === "json") {
    rt.io.out(
      JSON.stringify({ [what.replaceAll(" ", "_")]: `${scheme}://${address}`, auth: Boolean(options.auth) }),
    );
  }
  // always said (on stderr): scripts wait for this line before sending requests
  rt.io.err(`${what} listening on ${scheme}://${address} (${auth}); Ctrl-C to stop`);
  if (rt.format !== "json") {
    const width = Math.max(...routes.map((r) => r[1].length));
    for (const [method, path, text] of routes)
      rt.io.err(`  ${method.padEnd(7)}${path.padEnd(width + 2)}${text}`);
  }
  await rt.interrupted;
  await gateway.close();
  return 0;
}
