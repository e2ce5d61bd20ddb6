// Options of the RabbitMQ broker and their defaults, in one place so README, flags and code agree.
import type { BrokerTLSOptions, Logger } from "@micro/core";

export interface RabbitMQBrokerOptions {
  /** AMQP URLs or host:port, tried in order (default `amqp://guest:guest@127.0.0.1:5672`). */
  addresses?: string[];
  /** Dial `amqps://` with these settings (certificate verification off unless `insecureSkipVerify: false`). */
  tls?: BrokerTLSOptions;
  /** Exchange name (default `micro`, go-micro's). */
  exchange?: string;
  /** Exchange type (default `topic`, so routing keys may be matched with `*` and `#`). */
  exchangeType?: string;
  /** Declare the exchange durable (default false, like go-micro). */
  exchangeDurable?: boolean;
  /** Unacknowledged deliveries per subscription, which also bounds concurrent handlers (default 100). */
  prefetch?: number;
  /** Requeue a message whose handler failed (default false, go-micro's RequeueOnError default). */
  requeueOnError?: boolean;
  /** Wait for the server's publisher confirm before `publish()` resolves (default true). */
  confirm?: boolean;
  /** Publish with delivery mode 2 so messages in durable queues survive a server restart (default false). */
  persistent?: boolean;
  /** ms a publish waits for a lost connection to come back before failing (default 2000). */
  publishWait?: number;
  /** Connection attempts before `connect()` gives up (default 3). */
  connectAttempts?: number;
  /** ms one connection attempt may take (default 5000). */
  connectTimeout?: number;
  /** Delay before the first reconnect attempt, doubled up to `reconnectMaxDelay` (default 100 ms). */
  reconnectDelay?: number;
  /** Largest delay between reconnect attempts (default 5000 ms). */
  reconnectMaxDelay?: number;
  /** AMQP heartbeat in seconds, to notice a dead server without a TCP reset (default 10). */
  heartbeat?: number;
  logger?: Logger;
}

export const DEFAULTS = {
  exchange: "micro",
  exchangeType: "topic",
  exchangeDurable: false,
  prefetch: 100,
  requeueOnError: false,
  confirm: true,
  persistent: false,
  publishWait: 2000,
  connectAttempts: 3,
  connectTimeout: 5000,
  reconnectDelay: 100,
  reconnectMaxDelay: 5000,
  heartbeat: 10,
} as const;

export type ResolvedOptions = Required<Omit<RabbitMQBrokerOptions, "tls" | "logger" | "addresses">>;

export function resolveOptions(o: RabbitMQBrokerOptions): ResolvedOptions {
  const out = { ...DEFAULTS } as ResolvedOptions;
  for (const k of Object.keys(DEFAULTS) as (keyof ResolvedOptions)[]) {
    const v = o[k];
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  if (!Number.isInteger(out.prefetch) || out.prefetch < 0 || out.prefetch > 65535) {
    throw new RangeError(`rabbitmq broker: prefetch must be an integer in 0..65535, got ${out.prefetch}`);
  }
  if (!out.exchange) throw new RangeError("rabbitmq broker: the exchange name must not be empty");
  return out;
}
