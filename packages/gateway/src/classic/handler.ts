// What a classic handler gets: the request, where the path mapping points, and the service record
// (when the registry has one) so handlers can reach nodes and read endpoint metadata.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Endpoint, Service } from "@micro/core";
import type { RequestInfo } from "../options.js";
import type { ClassicRoute } from "./resolve.js";

export interface ClassicTarget extends ClassicRoute {
  /** Every version of the service, as the registry cache has them; empty when unknown. */
  versions: Service[];
  /** The endpoint's record, when a version advertises it. */
  record: Endpoint | undefined;
}

export interface ClassicHandler {
  handle(req: IncomingMessage, res: ServerResponse, info: RequestInfo, target: ClassicTarget): Promise<void>;
  upgrade?(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    info: RequestInfo,
    target: ClassicTarget,
  ): Promise<void> | void;
}
