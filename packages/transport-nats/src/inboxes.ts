// Client inboxes of one NATS connection: a single wildcard subscription `_INBOX.<nuid>.>` and a
// table from subject to handler, so dialing costs no SUB round trip and thousands of sockets cost
// one subscription. `>` rather than `*` so a socket's dial probe (`<inbox>.dial`) is routed too.
import { createInbox, type Msg, type NatsConnection, type Subscription } from "@nats-io/nats-core";

export type InboxHandler = (msg: Msg) => void;

export class Inboxes {
  readonly #prefix = createInbox();
  readonly #routes = new Map<string, InboxHandler>();
  readonly #sub: Subscription;
  #seq = 0;

  constructor(nc: NatsConnection) {
    this.#sub = nc.subscribe(`${this.#prefix}.>`, {
      callback: (err, msg) => {
        if (!err) this.#routes.get(msg.subject)?.(msg);
      },
    });
  }

  /** Routes `subject` (an inbox or a subject under it) to `handler` until released. */
  route(subject: string, handler: InboxHandler): void {
    this.#routes.set(subject, handler);
  }

  /** A fresh inbox subject routed to `handler` until released. */
  open(handler: InboxHandler): string {
    const subject = `${this.#prefix}.${(this.#seq++).toString(36)}`;
    this.#routes.set(subject, handler);
    return subject;
  }

  release(subject: string): void {
    this.#routes.delete(subject);
  }

  close(): void {
    this.#routes.clear();
    if (!this.#sub.isClosed()) this.#sub.unsubscribe();
  }
}
