// A unary call's Context, built on demand. Most handlers never read `signal` or `metadata`, and an
// AbortController, a deadline timer and a metadata map per call were a measurable share of a small
// call's CPU; the logger with the call's fields is made on first use as well. The getters are own enumerable properties, so `{ ...ctx }` in a wrapper still works.
// The call's state lives in one object whose methods are shared, not in closures made per call.
import { type Context, deadlineFromHeader } from "../context.js";
import { MicroError } from "../errors.js";
import { type Logger, withFields } from "../logger.js";
import { Metadata } from "../metadata.js";
import { requestIdOf } from "./call-log.js";

export interface CallContext {
  ctx: Context;
  /** Aborts the signal now, or as soon as someone asks for it. */
  abort(reason: unknown): void;
  /** The call is over: drops the deadline timer if the signal was ever made. */
  done(): void;
  /** Whether `err` is the reason the signal aborted with: the handler stopped when told to. */
  endedBySignal(err: unknown): boolean;
}

interface Peer {
  readonly local: string;
  readonly remote: string;
}

const deadlineExceeded = () => MicroError.timeout("go.micro.server", "deadline exceeded");

class UnaryCall implements CallContext {
  ctx!: Context;
  metadata: Metadata | undefined;
  controller: AbortController | undefined;
  timer: NodeJS.Timeout | undefined;
  aborted: { reason: unknown } | undefined;
  logger: Logger | undefined;

  constructor(
    readonly header: Record<string, string>,
    readonly socket: Peer,
    readonly deadline: number | undefined,
    readonly endpoint: string,
    readonly baseLogger: Logger,
  ) {}

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = { reason };
    if (this.timer) clearTimeout(this.timer);
    this.controller?.abort(reason);
  }

  done(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  endedBySignal(err: unknown): boolean {
    return this.aborted !== undefined && err === this.aborted.reason;
  }

  /** The service's logger with this call's endpoint and request id (`Micro-Id`), made on first use. */
  getLogger(): Logger {
    this.logger ??= withFields(this.baseLogger, {
      endpoint: this.endpoint,
      request_id: requestIdOf(this.header),
    });
    return this.logger;
  }

  getMetadata(): Metadata {
    if (!this.metadata) {
      const md = Metadata.fromHeaders(this.header);
      md.set("Local", this.socket.local);
      md.set("Remote", this.socket.remote);
      this.metadata = md;
    }
    return this.metadata;
  }

  getSignal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.aborted.reason);
      else if (this.deadline !== undefined) {
        const left = this.deadline - Date.now();
        if (left <= 0) this.abort(deadlineExceeded());
        else this.timer = setTimeout(() => this.abort(deadlineExceeded()), left);
      }
    }
    return this.controller.signal;
  }
}

export function callContext(
  service: string,
  endpoint: string,
  header: Record<string, string>,
  socket: Peer,
  logger: Logger,
): CallContext {
  const deadline = deadlineFromHeader(header.Timeout);
  const call = new UnaryCall(header, socket, deadline, endpoint, logger);
  const ctx: Context = {
    service,
    endpoint,
    get logger() {
      return call.getLogger();
    },
    get metadata() {
      return call.getMetadata();
    },
    get signal() {
      return call.getSignal();
    },
  };
  if (deadline !== undefined) (ctx as { deadline?: number }).deadline = deadline;
  call.ctx = ctx;
  return call;
}
