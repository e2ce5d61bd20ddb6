// Runs a broker handler from a synchronous NATS callback: the next message does not wait for an
// async handler, and its outcome — returned, resolved, thrown or rejected — reaches `done`/`failed`
// without a promise of our own when the handler is synchronous.
import type { BrokerEvent, BrokerHandler } from "@micro/core";

export function dispatch(
  handler: BrokerHandler,
  event: BrokerEvent,
  done: (() => void) | undefined,
  failed: (err: unknown) => void,
): void {
  let r: void | Promise<void>;
  try {
    r = handler(event);
  } catch (err) {
    failed(err);
    return;
  }
  if (r && typeof r.then === "function") r.then(done, failed);
  else done?.();
}
