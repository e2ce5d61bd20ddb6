// A listener is a subscription on its subject. Messages are told apart by reply subject: the first
// one from a new reply subject opens a server socket, later ones go to it (go-micro's NATS transport).
// After close() new reply subjects get a close frame back, while open sockets keep working: the
// subscription lives until the last of them is gone.
import type { Listener, Logger, Socket } from "@micro/core";
import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import { SERVER_ERROR_ID } from "./errors.js";
import { closeFrame, DIAL_SUFFIX } from "./frame.js";
import { FrameMemo } from "./frame-memo.js";
import { publishFrame } from "./publish.js";
import { NatsServerSocket } from "./server-socket.js";

export interface ListenerSettings {
  idleTimeout: number;
  logger: Logger;
}

export class NatsListener implements Listener {
  readonly #sockets = new Map<string, NatsServerSocket>();
  readonly #subs: Subscription[];
  readonly #frames = new FrameMemo();
  #handler: ((socket: Socket) => void) | undefined;
  #early: Socket[] = [];
  #closed = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly subject: string,
    private readonly settings: ListenerSettings,
  ) {
    const callback = (err: Error | null, msg: Msg) => {
      if (err) settings.logger.warn(`nats transport: listener ${subject}: ${err.message}`);
      else this.#receive(msg);
    };
    this.#subs = [nc.subscribe(subject, { callback })];
  }

  addr(): string {
    return this.subject;
  }

  accept(handler: (socket: Socket) => void): void {
    this.#handler = handler;
    for (const s of this.#early.splice(0)) handler(s);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#early = [];
    this.#unsubscribeWhenIdle();
  }

  #unsubscribeWhenIdle(): void {
    if (!this.#closed || this.#sockets.size > 0) return;
    for (const s of this.#subs) if (!s.isClosed()) s.unsubscribe();
  }

  #receive(msg: Msg): void {
    const reply = msg.reply;
    if (!reply) {
      this.settings.logger.debug(`nats transport: ${this.subject}: dropped a message without reply subject`);
      return;
    }
    let frame: ReturnType<FrameMemo["decode"]>;
    try {
      frame = this.#frames.decode(msg.data);
    } catch (err) {
      this.settings.logger.debug(
        `nats transport: ${this.subject}: dropped a malformed frame: ${(err as Error).message}`,
      );
      return;
    }
    if (frame === "close") {
      if (reply.endsWith(DIAL_SUFFIX)) {
        // a TypeScript client dialing: accept its socket now (nothing to do once closed: the
        // client's first message will be refused)
        if (!this.#closed) this.#open(reply.slice(0, -DIAL_SUFFIX.length));
      } else {
        // the client closed its socket; a goodbye for a socket we already released is ignored
        this.#sockets.get(reply)?.peerClosed();
      }
      return;
    }
    const socket = this.#sockets.get(reply) ?? (this.#closed ? undefined : this.#open(reply));
    if (socket) socket.deliver(frame);
    // refused, the way a closed TCP port refuses: the client's recv() sees EOF
    else if (!this.nc.isClosed()) publishFrame(this.nc, reply, closeFrame(), SERVER_ERROR_ID);
  }

  #open(reply: string): NatsServerSocket {
    const known = this.#sockets.get(reply);
    if (known) return known;
    const socket = new NatsServerSocket(this.nc, this.subject, reply, this.settings.idleTimeout, (s) => {
      if (this.#sockets.get(s.remote) === s) this.#sockets.delete(s.remote);
      this.#unsubscribeWhenIdle();
    });
    this.#sockets.set(reply, socket);
    if (this.#handler) this.#handler(socket);
    else this.#early.push(socket);
    return socket;
  }
}
