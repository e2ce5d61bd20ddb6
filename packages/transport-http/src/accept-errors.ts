// What a listener says when accepting fails. Node keeps listening by itself: at the descriptor limit
// libuv accepts and closes the pending connections without a word, and only when that trick fails
// does the server emit EMFILE. Either way every further connection fails the same way until
// descriptors are freed, so it is said once per burst, not once per refused peer.
import type { Logger } from "@micro/core";
import type { BurstLog } from "./burst-log.js";

const OUT_OF_DESCRIPTORS = new Set(["EMFILE", "ENFILE"]);

export function reportAcceptError(
  err: Error & { code?: string },
  where: string,
  burst: BurstLog,
  logger: Logger,
): void {
  if (err.code === undefined || !OUT_OF_DESCRIPTORS.has(err.code)) {
    logger.error(`http transport: listener ${where}: ${err.message}`);
    return;
  }
  burst.hit(
    () =>
      `http transport: listener ${where}: accept: ${err.message}: the process is out of file ` +
      "descriptors (raise the limit, or lower maxConnections); still listening",
    (n) => `http transport: listener ${where}: ${n} accepts failed for want of file descriptors`,
  );
}
