// Broker: topic-based publish/subscribe carrying header+body messages.
import type { SecureContextOptions } from "node:tls";

export interface BrokerMessage {
  header: Record<string, string>;
  body: Uint8Array;
}

export interface BrokerEvent {
  readonly topic: string;
  readonly message: BrokerMessage;
  /** Acknowledge (only meaningful with `autoAck: false` on brokers that support it). */
  ack(): Promise<void>;
  /** Negative-acknowledge: ask for redelivery where the backend supports it. */
  nack?(): Promise<void>;
}

export type BrokerHandler = (event: BrokerEvent) => void | Promise<void>;

export interface SubscribeOptions {
  /** Competing consumers: each message goes to one subscriber of the queue group. */
  queue?: string;
  /** Ack when the handler resolves (default true); otherwise the handler acks itself. */
  autoAck?: boolean;
  /** Backend-specific durable subscription, where the broker has them. */
  durable?: boolean;
}

export interface PublishOptions {
  signal?: AbortSignal;
}

export interface BrokerSubscription {
  readonly topic: string;
  readonly queue?: string;
  unsubscribe(): Promise<void>;
}

export interface BrokerTLSOptions extends SecureContextOptions {
  /** Skip certificate verification when dialing (see TLSOptions.insecureSkipVerify). */
  insecureSkipVerify?: boolean;
}

export interface Broker {
  readonly name: string;
  /**
   * Messages never leave the process that published them (the memory broker). A service served by
   * worker processes (`--server_workers`) then subscribes in every process, each seeing only its own
   * messages; with any other broker only the primary subscribes, once for the node.
   */
  readonly processLocal?: boolean;
  /** Where subscribers are reached (http broker: its listener), or the server address. */
  address(): string;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  publish(topic: string, message: BrokerMessage, options?: PublishOptions): Promise<void>;
  subscribe(topic: string, handler: BrokerHandler, options?: SubscribeOptions): Promise<BrokerSubscription>;
}
