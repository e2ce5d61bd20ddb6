// One line per finished request: who, what, the status and how long it took.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@micro/core";

export function logAccess(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  started: number,
  account?: string,
): void {
  const ms = (performance.now() - started).toFixed(1);
  const who = account ? ` account=${account}` : "";
  logger.info(`${req.socket.remoteAddress ?? "-"} ${req.method} ${req.url} ${res.statusCode} ${ms}ms${who}`);
}
