// go-micro v5's API routes: POST /api/{service}/{Endpoint} (also /api/{service}/{Handler}/{Method},
// the form its API page links to), GET /api lists services, GET /api/{service} describes one, and a
// WebSocket upgrade on an endpoint's path opens a stream.
import { MicroError } from "@micro/core";
import { GATEWAY_ID } from "../http/errors.js";
import { sendJson } from "../http/reply.js";
import type { GatewayRoute, RequestInfo } from "../options.js";
import { forwardCall, type RpcTarget } from "../rpc/call.js";
import { describeService, listServices } from "../rpc/listing.js";
import { checkScopes } from "../rpc/scopes.js";
import { openStream } from "../stream/websocket.js";

/** `/api/greeter/Greeter.Hello` or `/api/greeter/Greeter/Hello`; the Micro-Endpoint header wins. */
export function apiTarget(
  rest: string,
  endpointHeader?: string,
): RpcTarget | { service: string } | undefined {
  const parts = rest.split("/").filter(Boolean);
  if (parts.length === 0) return undefined;
  const service = parts[0]!;
  if (endpointHeader) return { service, endpoint: endpointHeader };
  if (parts.length === 1) return { service };
  if (parts.length === 2) return { service, endpoint: parts[1]! };
  if (parts.length === 3) return { service, endpoint: `${parts[1]}.${parts[2]}` };
  return undefined;
}

/** The target of a request under /api/, from its path and its Micro-Endpoint header. */
export function apiTargetOf(info: RequestInfo, header: string | string[] | undefined) {
  return apiTarget(info.path.slice("/api/".length), typeof header === "string" ? header : undefined);
}

export const apiListRoute: GatewayRoute = {
  path: "/api",
  async handle(_req, res, info) {
    sendJson(res, 200, await listServices(info.gateway.registry));
  },
};

export const apiRoute: GatewayRoute = {
  path: "/api/",
  async handle(req, res, info) {
    if (info.path === "/api/") {
      sendJson(res, 200, await listServices(info.gateway.registry));
      return;
    }
    const t = apiTargetOf(info, req.headers["micro-endpoint"]);
    if (!t) throw MicroError.notFound(GATEWAY_ID, `no route for ${info.path}`);
    if (!("endpoint" in t)) {
      if (req.method !== "GET") throw MicroError.badRequest(GATEWAY_ID, `${info.path}: name an endpoint`);
      sendJson(res, 200, await describeService(info.gateway.registry, t.service));
      return;
    }
    if (req.method !== "POST") {
      throw new MicroError(
        GATEWAY_ID,
        `${req.method} ${info.path}: use POST, or a WebSocket for a stream`,
        405,
      );
    }
    await forwardCall(info.gateway, t, req, res, info.account);
  },
  async upgrade(req, socket, head, info) {
    const t = apiTargetOf(info, req.headers["micro-endpoint"]);
    if (!t || !("endpoint" in t)) throw MicroError.notFound(GATEWAY_ID, `no stream route for ${info.path}`);
    if (info.gateway.options.auth) await checkScopes(info.gateway, t, info.account);
    openStream(info.gateway, t, req, socket, head, info.account);
  },
};
