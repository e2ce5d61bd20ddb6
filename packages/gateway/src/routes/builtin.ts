// /health, /stats and /openapi.json.

import { sendBytes, sendJson } from "../http/reply.js";
import type { LiveOpenApi } from "../openapi/live.js";
import type { GatewayRoute } from "../options.js";

// byte for byte go-micro's answer, whose json.Encoder ends it with a newline
const OK = Buffer.from('{"status":"ok"}\n');

/** go-micro's `micro api` answer, kept public so load balancers need no token. */
export const healthRoute: GatewayRoute = {
  path: "/health",
  public: true,
  handle(_req, res) {
    sendBytes(res, 200, OK);
  },
};

export const statsRoute: GatewayRoute = {
  path: "/stats",
  handle(_req, res, info) {
    sendJson(res, 200, info.gateway.stats.snapshot());
  },
};

export function openApiRoute(doc: LiveOpenApi): GatewayRoute {
  return {
    path: "/openapi.json",
    async handle(_req, res) {
      sendBytes(res, 200, await doc.json());
    },
  };
}
