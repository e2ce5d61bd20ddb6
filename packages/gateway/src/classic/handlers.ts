// The classic handlers by name.
import type { HandlerName } from "../options.js";
import type { ClassicHandler } from "./handler.js";
import { rpcHandler } from "./rpc-handler.js";

export const CLASSIC_HANDLERS: Partial<Record<HandlerName, ClassicHandler>> = {
  rpc: rpcHandler,
};
