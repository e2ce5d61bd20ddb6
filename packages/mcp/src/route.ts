// MCP as a gateway route: `createGateway({ routes: [mcpRoute()] })` serves Streamable HTTP at /mcp
// behind the gateway's own guards — its rate limit per client, its auth check (no valid bearer token,
// 401 before the route runs), TLS and CORS — with the gateway's client and registry. The account the
// check returns is checked against each tool's scopes, as the gateway checks its API routes.
import { type Cors, createCors, type GatewayContext, type GatewayRoute, tokenOf } from "@micro/gateway";
import { type SessionLimits, StreamableHttpSessions } from "./http.js";
import type { McpOptions } from "./options.js";
import { createMcpServer, type MicroMcpServer } from "./server.js";

export interface McpRouteOptions extends McpOptions, SessionLimits {
  /** Where the route is mounted (default "/mcp"). */
  path?: string;
  /**
   * An MCP server to serve, shared with other transports; the route then leaves closing it to you.
   * Default: one made from these options with the gateway's client, registry and logger.
   */
  server?: MicroMcpServer;
  /**
   * Host names (without port) the Host header must name, against DNS rebinding of a server on a
   * private address; any when absent. `listenMcp` sets the loopback names when it listens there.
   */
  allowedHosts?: readonly string[];
}

interface State {
  mcp: MicroMcpServer;
  own: boolean;
  sessions: StreamableHttpSessions;
  cors: Cors;
}

export function mcpRoute(options: McpRouteOptions = {}): GatewayRoute {
  let state: State | undefined;
  const init = (g: GatewayContext): State => {
    if (state) return state;
    const own = !options.server;
    const mcp =
      options.server ??
      createMcpServer({
        ...options,
        client: options.client ?? (options.service ? undefined : g.client),
        registry: options.registry ?? (options.service ? undefined : g.registry),
        logger: options.logger ?? g.logger,
        timeout: options.timeout ?? g.options.timeout,
      });
    state = {
      mcp,
      own,
      sessions: new StreamableHttpSessions(mcp, options),
      // without CORS options only same-host pages (and non-browser clients) pass
      cors: createCors(g.options.cors ?? { origins: [] }),
    };
    return state;
  };
  return {
    path: options.path ?? "/mcp",
    async handle(req, res, info) {
      const s = init(info.gateway);
      await s.sessions.handle(req, res, {
        account: info.account,
        token: tokenOf(req.headers),
        enforceScopes: info.gateway.options.auth !== undefined,
        allowsOrigin: (r) => s.cors.allowsOrigin(r),
        allowedHosts: options.allowedHosts,
        maxBodyBytes: info.gateway.options.maxBodyBytes,
      });
    },
    async close() {
      const s = state;
      state = undefined;
      if (!s) return;
      await s.sessions.close();
      if (s.own) await s.mcp.close();
    },
  };
}
