// The classic `rpc` handler: the request body goes to the resolved endpoint, as on /api routes.
import { forwardCall } from "../rpc/call.js";
import type { ClassicHandler } from "./handler.js";

export const rpcHandler: ClassicHandler = {
  handle(req, res, info, target) {
    return forwardCall(info.gateway, target, req, res, info.account);
  },
};
