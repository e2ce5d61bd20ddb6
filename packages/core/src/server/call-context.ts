// A unary call's Context, built on demand. Most handlers never read `signal` or `metadata`, and an
// AbortController, a deadline timer and a metadata map per call were a measurable share of a small
// call's CPU. The getters are own enumerable properties, so `{ ...ctx }` in a wrapper still works.
import { type Context, deadlineFromHeader } from "../context.js";
import { MicroError } from "../errors.js";
import type { Logger } from "../logger.js";
import { Metadata } from "../metadata.js";

export interface CallContext {
  ctx: Context;
  /** Aborts the signal now, or as soon as someone asks for it. */
  abort(reason: unknown): void;
  /** The call is over: drops the deadline timer if the signal was ever made. */
  done(): void;
}

const deadlineExceeded = () => MicroError.timeout("go.micro.server", "deadline exceeded");

export function callContext(
  service: string,
  endpoint: string,
  header: Record<string, string>,
  socket: { readonly local: string; readonly remote: string },
  logger: Logger,
): CallContext {
  const deadline = deadlineFromHeader(header.Timeout);
  let metadata: Metadata | undefined;
  let controller: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  let aborted: { reason: unknown } | undefined;

  const abort = (reason: unknown) => {
    if (aborted) return;
    aborted = { reason };
    clearTimeout(timer);
    controller?.abort(reason);
  };
  const ctx: Context = {
    service,
    endpoint,
    logger,
    get metadata() {
      if (!metadata) {
        metadata = Metadata.fromHeaders(header);
        metadata.set("Local", socket.local);
        metadata.set("Remote", socket.remote);
      }
      return metadata;
    },
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (aborted) controller.abort(aborted.reason);
        else if (deadline !== undefined) {
          const left = deadline - Date.now();
          if (left <= 0) abort(deadlineExceeded());
          else timer = setTimeout(() => abort(deadlineExceeded()), left);
        }
      }
      return controller.signal;
    },
  };
  if (deadline !== undefined) (ctx as { deadline?: number }).deadline = deadline;
  return { ctx, abort, done: () => clearTimeout(timer) };
}
