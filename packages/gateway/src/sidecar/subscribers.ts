// Broker subscriptions held for HTTP clients (WebSocket or event stream). The broker is connected
// once, on the first subscription (the http broker then starts its listener and advertises it); each
// subscriber is tracked so close() can end them all, and counted against the gateway's WebSocket cap.
import type { Broker, BrokerHandler, BrokerSubscription } from "@micro/core";
import { MicroError } from "@micro/core";
import type { GatewayContext } from "../context.js";
import { GATEWAY_ID } from "../http/errors.js";

export interface Subscriber {
  /** Ends the client's side (the subscription is dropped by the subscriber's own close handling). */
  end(reason: "shutdown"): void;
}

const connected = new WeakMap<Broker, Promise<void>>();

export function brokerOf(ctx: GatewayContext): Broker {
  const broker = ctx.broker;
  if (!broker) throw new MicroError(GATEWAY_ID, "the gateway has no broker", 501);
  return broker;
}

/** Connects the broker once (concurrent callers share the attempt; a failed one is tried again). */
export function connectBroker(broker: Broker): Promise<void> {
  let p = connected.get(broker);
  if (!p) {
    p = broker.connect().catch((err) => {
      connected.delete(broker);
      throw err;
    });
    connected.set(broker, p);
  }
  return p;
}

export class Subscribers {
  readonly #live = new Set<Subscriber>();

  get size(): number {
    return this.#live.size;
  }

  /** Throws 503 when the gateway already holds as many streams as it may. */
  admit(ctx: GatewayContext): void {
    if (this.#live.size + ctx.stats.websockets >= ctx.options.maxWebSockets) {
      throw new MicroError(GATEWAY_ID, "too many open subscriptions and streams", 503);
    }
  }

  async subscribe(
    ctx: GatewayContext,
    topic: string,
    queue: string | undefined,
    handler: BrokerHandler,
  ): Promise<BrokerSubscription> {
    const broker = brokerOf(ctx);
    await connectBroker(broker);
    return broker.subscribe(topic, handler, queue ? { queue } : {});
  }

  add(s: Subscriber): void {
    this.#live.add(s);
  }

  delete(s: Subscriber): void {
    this.#live.delete(s);
  }

  closeAll(): void {
    for (const s of [...this.#live]) s.end("shutdown");
    this.#live.clear();
  }
}

/** The topic of `/broker/{topic}` or `/micro/broker/{topic}`. */
export function topicOf(path: string, prefix: string): string {
  const topic = path.slice(prefix.length);
  if (!topic) throw MicroError.badRequest(GATEWAY_ID, `topic required: ${prefix}{topic}`);
  return topic;
}

/** A subscription's unsubscribe, run once however many ways the client goes away. */
export function unsubscribeOnce(sub: BrokerSubscription, ctx: GatewayContext): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    sub.unsubscribe().catch((err) => ctx.logger.debug(`sidecar: unsubscribing ${sub.topic}: ${err.message}`));
  };
}
