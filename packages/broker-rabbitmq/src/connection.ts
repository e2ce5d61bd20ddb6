// One AMQP connection that outlives server restarts. `open()` fails within a bounded time with an
// error naming the server (a service must not hang at start); once open, a dropped connection is
// re-dialed forever with capped exponential backoff, and every registered restorer (exchange,
// publisher channel, consumers) runs again on the new connection.
import { type Logger, MicroError } from "@micro/core";
import { type ChannelModel, connect, type SocketOptions } from "amqplib";
import { redact } from "./url.js";

export const ERROR_ID = "go.micro.broker";

export interface ConnectionSettings {
  urls: string[];
  socket: SocketOptions;
  heartbeat: number;
  attempts: number;
  timeout: number;
  reconnectDelay: number;
  reconnectMaxDelay: number;
  logger: Logger;
}

/** Runs on every new connection, first the initial one; a failure drops that connection and retries. */
export type Restorer = (model: ChannelModel) => Promise<void>;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function unavailable(message: string, cause?: unknown): MicroError {
  return new MicroError(ERROR_ID, message, 503, undefined, cause === undefined ? undefined : { cause });
}

const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class ManagedConnection {
  readonly #s: ConnectionSettings;
  #model: ChannelModel | undefined;
  #url: string;
  #closed = true;
  #opening: Promise<void> | undefined;
  #reconnecting = false;
  readonly #restorers = new Set<Restorer>();
  #waiters: (() => void)[] = [];

  constructor(settings: ConnectionSettings) {
    this.#s = settings;
    this.#url = settings.urls[0]!;
  }

  /** The server in use (or to be used), without credentials. */
  get address(): string {
    return redact(this.#url);
  }

  get model(): ChannelModel | undefined {
    return this.#model;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Restorers run in registration order; the returned function unregisters. */
  onConnect(restorer: Restorer): () => void {
    this.#restorers.add(restorer);
    return () => this.#restorers.delete(restorer);
  }

  open(): Promise<void> {
    if (!this.#closed) return this.#opening ?? Promise.resolve();
    this.#closed = false;
    this.#opening = this.#openBounded().finally(() => (this.#opening = undefined));
    return this.#opening;
  }

  async #openBounded(): Promise<void> {
    let last: unknown;
    for (let attempt = 1; attempt <= this.#s.attempts && !this.#closed; attempt++) {
      try {
        await this.#dialAndRestore();
        return;
      } catch (err) {
        last = err;
        if (attempt < this.#s.attempts) await sleep(this.#s.reconnectDelay * 2 ** (attempt - 1));
      }
    }
    this.#closed = true;
    const servers = this.#s.urls.map(redact).join(", ");
    throw unavailable(
      `rabbitmq broker: cannot connect to ${servers} after ${this.#s.attempts} attempts (${reasonOf(last)})`,
      last,
    );
  }

  // Tries each URL once; the first that answers and takes the restorers wins.
  async #dialAndRestore(): Promise<void> {
    let last: unknown;
    for (const url of this.#s.urls) {
      let model: ChannelModel | undefined;
      try {
        model = await connect(this.#withHeartbeat(url), { ...this.#s.socket, timeout: this.#s.timeout });
        // without an 'error' listener an unexpected server close would crash the process
        model.on("error", (err: Error) =>
          this.#s.logger.warn(`rabbitmq broker: connection error: ${err.message}`),
        );
        model.once("close", () => this.#lost(model!));
        this.#model = model;
        this.#url = url;
        for (const restore of [...this.#restorers]) await restore(model);
        if (this.#closed) {
          await model.close().catch(() => {});
          return;
        }
        for (const w of this.#waiters.splice(0)) w();
        return;
      } catch (err) {
        last = err;
        if (model) {
          if (this.#model === model) this.#model = undefined;
          await model.close().catch(() => {});
        }
      }
    }
    throw last;
  }

  #withHeartbeat(url: string): string {
    try {
      const u = new URL(url);
      if (!u.searchParams.has("heartbeat")) u.searchParams.set("heartbeat", String(this.#s.heartbeat));
      return u.toString();
    } catch {
      return url;
    }
  }

  #lost(model: ChannelModel): void {
    if (this.#model !== model) return;
    this.#model = undefined;
    if (this.#closed || this.#opening) return;
    this.#s.logger.warn(`rabbitmq broker: lost the connection to ${this.address}; reconnecting`);
    void this.#reconnect();
  }

  async #reconnect(): Promise<void> {
    if (this.#reconnecting) return;
    this.#reconnecting = true;
    try {
      for (let attempt = 0; !this.#closed; attempt++) {
        const base = Math.min(this.#s.reconnectMaxDelay, this.#s.reconnectDelay * 2 ** attempt);
        // jitter, so many services do not hit a restarted server in the same instant
        await sleep(base * (0.8 + Math.random() * 0.4));
        if (this.#closed) return;
        try {
          await this.#dialAndRestore();
          this.#s.logger.info(`rabbitmq broker: reconnected to ${this.address}`);
          return;
        } catch (err) {
          if (attempt % 10 === 0) {
            this.#s.logger.warn(`rabbitmq broker: reconnect to ${this.address} failed: ${reasonOf(err)}`);
          }
        }
      }
    } finally {
      this.#reconnecting = false;
    }
  }

  /** The open connection, waiting up to `ms` for a reconnect; undefined if it does not come back. */
  async ready(ms: number, signal?: AbortSignal): Promise<ChannelModel | undefined> {
    if (this.#model || this.#closed || ms <= 0) return this.#model;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.#waiters = this.#waiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
      this.#waiters.push(done);
    });
    signal?.throwIfAborted();
    return this.#model;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const model = this.#model;
    this.#model = undefined;
    for (const w of this.#waiters.splice(0)) w();
    await this.#opening?.catch(() => {});
    if (model) await model.close().catch(() => {});
  }
}
