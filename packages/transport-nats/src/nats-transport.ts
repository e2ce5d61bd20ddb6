// go-micro's NATS transport (transport/nats): a listener is a subscription on a subject (its
// address, registered as the node address); a dialed socket publishes to that subject with
// reply-to = its own inbox. Every message is the JSON envelope {"Header":{...},"Body":"<base64>"}.
// One NATS connection per transport instance serves all its listeners and sockets (Go opens one per
// dial and per listen).
import {
  createLogger,
  type DialOptions,
  type Listener,
  type ListenOptions,
  type Logger,
  MicroError,
  type Socket,
  type TLSOptions,
  type Transport,
} from "@micro/core";
import { LazyConnection, normalizeServers, openNats } from "@micro/nats-connection";
import type { NatsConnection } from "@nats-io/nats-core";
import { NatsClientSocket } from "./client-socket.js";
import { CLIENT_ERROR_ID, noListener, SERVER_ERROR_ID } from "./errors.js";
import { closeFrame, DIAL_SUFFIX } from "./frame.js";
import { Inboxes } from "./inboxes.js";
import { NatsListener } from "./listener.js";
import { flushFrames, publishFrame } from "./publish.js";
import { checkSubject, listenSubject } from "./subject.js";

export interface NatsTransportOptions {
  /** Servers (`host:port` or URLs, `nats://` added); default nats://127.0.0.1:4222. */
  addresses?: readonly string[];
  tls?: TLSOptions;
  logger?: Logger;
  /** Server sockets without traffic for this long (ms) are released; 0 = never (default 60 000, Go's). */
  idleTimeout?: number;
  /** Connection attempts before failing (default 3). */
  connectAttempts?: number;
  /** Handshake timeout of one attempt in ms (default 2000). */
  connectTimeout?: number;
  /** Use an already open connection instead (it is not closed by close()). */
  connection?: NatsConnection;
}

interface Live {
  nc: NatsConnection;
  inboxes: Inboxes;
}

export class NatsTransport implements Transport {
  readonly name = "nats";
  readonly #options: NatsTransportOptions;
  readonly #servers: string[];
  readonly #logger: Logger;
  // connected on first use; a failure is reported with the error id of the side that asked
  readonly #live: LazyConnection<Live, [errorId: string]>;

  constructor(options: NatsTransportOptions = {}) {
    this.#options = options;
    this.#servers = normalizeServers(options.addresses);
    this.#logger = options.logger ?? createLogger();
    this.#live = new LazyConnection(
      async (errorId: string) => {
        const nc = await openNats(this.#servers, options, {
          name: "micro-transport",
          errorId,
          what: "nats transport",
        });
        return { nc, inboxes: new Inboxes(nc) };
      },
      (live) => live.nc.isClosed(),
    );
  }

  async listen(address: string, options?: ListenOptions): Promise<Listener> {
    options?.signal?.throwIfAborted();
    const subject = listenSubject(address);
    const { nc } = await this.#live.get(SERVER_ERROR_ID);
    const listener = new NatsListener(nc, subject, {
      idleTimeout: this.#options.idleTimeout ?? 60_000,
      logger: this.#logger,
    });
    // the SUB must be on the server before the address is handed out
    await nc.flush();
    return listener;
  }

  async dial(address: string, options: DialOptions = {}): Promise<Socket> {
    const subject = checkSubject(address.trim(), CLIENT_ERROR_ID);
    const { nc, inboxes } = await this.#live.get(CLIENT_ERROR_ID);
    const socket = new NatsClientSocket(nc, inboxes, subject);
    try {
      await this.#probe(nc, inboxes, subject, `${socket.local}${DIAL_SUFFIX}`, options);
    } catch (err) {
      socket.discard();
      throw err;
    }
    return socket;
  }

  async close(): Promise<void> {
    const live = this.#live.reset();
    if (!live) return;
    live.inboxes.close();
    flushFrames(live.nc);
    if (live.nc !== this.#options.connection && !live.nc.isClosed()) {
      await live.nc.drain().catch(() => live.nc.close());
    }
  }

  /**
   * Is anybody subscribed to `subject`? Go's transport does not ask and a call to nowhere waits for
   * its timeout; we publish a close frame (a Go listener opens and quietly closes a socket for it,
   * ours accepts the dialing socket) with reply-to `probe`: with no subscriber the NATS server
   * answers "503 no responders", and it does so before the PONG of a flush.
   */
  async #probe(
    nc: NatsConnection,
    inboxes: Inboxes,
    subject: string,
    probe: string,
    options: DialOptions,
  ): Promise<void> {
    let nobody = false;
    inboxes.route(probe, (msg) => {
      if (msg.headers?.code === 503) nobody = true;
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      publishFrame(nc, subject, closeFrame(), CLIENT_ERROR_ID, probe);
      flushFrames(nc);
      const timeout = options.timeout ?? 5000;
      await Promise.race([
        nc.flush(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                MicroError.timeout(
                  CLIENT_ERROR_ID,
                  `nats transport: dial ${subject}: timed out after ${timeout} ms`,
                ),
              ),
            timeout,
          );
          options.signal?.addEventListener("abort", () => reject(options.signal!.reason), { once: true });
        }),
      ]);
    } finally {
      clearTimeout(timer);
      inboxes.release(probe);
    }
    if (nobody) throw noListener(subject);
  }
}
