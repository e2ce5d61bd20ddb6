// The classic handlers by name.
import type { HandlerName } from "../options.js";
import { apiHandler } from "./api-handler.js";
import { eventHandler } from "./event-handler.js";
import type { ClassicHandler } from "./handler.js";
import { proxyHandler } from "./proxy-handler.js";
import { rpcHandler } from "./rpc-handler.js";
import { webHandler } from "./web-handler.js";

export const CLASSIC_HANDLERS: Partial<Record<HandlerName, ClassicHandler>> = {
  rpc: rpcHandler,
  api: apiHandler,
  // go-micro registers its http reverse proxy under both names
  http: proxyHandler,
  proxy: proxyHandler,
  event: eventHandler,
  web: webHandler,
};
