// POST /rpc with {service, endpoint, request}: go-micro's RPC handler, for clients that would rather
// name the service in the body than in the path. The request is re-serialised from the parsed body,
// so it is JSON only; its numbers are written back as the client spelled them (int64 beyond 2^53
// keeps every digit, as on the other routes, which forward bytes).
import { MicroError } from "@micro/core";
import { readBody } from "../http/body.js";
import { GATEWAY_ID } from "../http/errors.js";
import type { GatewayRoute } from "../options.js";
import { forwardCall } from "../rpc/call.js";
import { mediaType } from "../rpc/content-type.js";

// JSON.parse's source text access and JSON.rawJSON (Node 21+; the gateway needs 22)
const { rawJSON } = JSON as unknown as { rawJSON: (text: string) => unknown };
type Reviver = (this: unknown, key: string, value: unknown) => unknown;
const exactNumbers = ((_key: string, value: unknown, context?: { source?: string }) =>
  typeof value === "number" && context?.source !== undefined ? rawJSON(context.source) : value) as Reviver;
// a number a double may not hold exactly has at least 16 digits; without one, the fast plain parse
const LONG_NUMBER = /\d{16}/;

interface RpcBody {
  service?: unknown;
  endpoint?: unknown;
  method?: unknown;
  request?: unknown;
}

export const rpcRoute: GatewayRoute = {
  path: "/rpc",
  async handle(req, res, info) {
    if (req.method !== "POST") {
      throw new MicroError(GATEWAY_ID, `${req.method} /rpc: use POST`, 405);
    }
    if (mediaType(req.headers["content-type"]) !== "application/json") {
      throw new MicroError(GATEWAY_ID, "/rpc takes application/json", 415);
    }
    const raw = await readBody(req, info.gateway.options.maxBodyBytes);
    let body: RpcBody;
    try {
      const text = raw.toString("utf8");
      body = (LONG_NUMBER.test(text) ? JSON.parse(text, exactNumbers) : JSON.parse(text)) as RpcBody;
    } catch (err) {
      throw MicroError.badRequest(GATEWAY_ID, `bad JSON in request body: ${(err as Error).message}`);
    }
    const service = body?.service;
    // go-micro's /rpc accepted "method" as the older name of "endpoint"
    const endpoint = body?.endpoint ?? body?.method;
    if (typeof service !== "string" || !service) throw MicroError.badRequest(GATEWAY_ID, "missing service");
    if (typeof endpoint !== "string" || !endpoint)
      throw MicroError.badRequest(GATEWAY_ID, "missing endpoint");
    const request = body.request === undefined ? {} : body.request;
    // a string request is JSON text already, as go-micro's handler took it
    const data = Buffer.from(typeof request === "string" ? request : JSON.stringify(request));
    await forwardCall(info.gateway, { service, endpoint }, req, res, info.account, data);
  },
};
