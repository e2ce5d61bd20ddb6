// One line per finished request: who, what, the status and how long it took.
import type { Logger } from "@micro/core";
import type { RequestHead } from "../rpc/metadata.js";

export function logAccess(
  logger: Logger,
  req: RequestHead,
  status: number,
  started: number,
  account?: string,
): void {
  const ms = (performance.now() - started).toFixed(1);
  const who = account ? ` account=${account}` : "";
  logger.info(`${req.socket.remoteAddress ?? "-"} ${req.method} ${req.url} ${status} ${ms}ms${who}`);
}
