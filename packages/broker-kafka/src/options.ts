// What a KafkaBroker is configured with, and how that becomes a kafkajs client configuration.
import type { ConnectionOptions } from "node:tls";
import type { Logger, TLSOptions } from "@micro/core";
import type { KafkaConfig, SASLOptions } from "kafkajs";
import { logCreator } from "./logging.js";

/** go-micro's kafka plugin dials this when no address is given. */
export const DEFAULT_BROKERS = ["127.0.0.1:9092"];

export interface KafkaBrokerOptions {
  /** Bootstrap brokers, `host:port` (default 127.0.0.1:9092). */
  brokers?: string[];
  /** TLS to the brokers; `insecureSkipVerify` turns certificate verification off. */
  tls?: TLSOptions;
  /** SASL (plain, scram-sha-256, scram-sha-512) on top of plaintext or TLS. */
  sasl?: SASLOptions;
  clientId?: string;
  /** Partitions of the topics this broker creates (default 1). Competing consumers of a queue
   *  group share a topic at most as many ways as it has partitions. */
  partitions?: number;
  /** ms one connection attempt may take (default 3000). */
  connectionTimeout?: number;
  /** Retries of a failed request or connection before giving up (default 2, kept small so an
   *  unreachable cluster is reported within seconds rather than after kafkajs's minute of retries). */
  retries?: number;
  /** ms before a message whose handler failed is delivered again; doubles per consecutive failure
   *  up to 30 s (default 100). */
  redeliveryDelay?: number;
  /** Consumer group heartbeat, ms (default 500: rebalances when members join or leave finish sooner
   *  than with kafkajs's 3 s). */
  heartbeatInterval?: number;
  /** Consumer group session timeout, ms (default 10000). */
  sessionTimeout?: number;
  logger: Logger;
}

export interface Resolved {
  brokers: string[];
  partitions: number;
  redeliveryDelay: number;
  heartbeatInterval: number;
  sessionTimeout: number;
  retries: number;
  connectionTimeout: number;
  logger: Logger;
  kafka: KafkaConfig;
}

/** Node's TLS options from core's, which say "skip verification" the Go way. */
export function tlsConnection(tls: TLSOptions): ConnectionOptions {
  const { insecureSkipVerify, ...rest } = tls;
  return { ...rest, rejectUnauthorized: !insecureSkipVerify };
}

export function resolveOptions(o: KafkaBrokerOptions): Resolved {
  const brokers = o.brokers && o.brokers.length > 0 ? o.brokers : DEFAULT_BROKERS;
  const retries = o.retries ?? 2;
  const connectionTimeout = o.connectionTimeout ?? 3000;
  const kafka: KafkaConfig = {
    brokers,
    clientId: o.clientId ?? "micro",
    connectionTimeout,
    requestTimeout: 30_000,
    retry: { retries, initialRetryTime: 100, maxRetryTime: 1000 },
    logCreator: logCreator(o.logger),
  };
  if (o.tls) kafka.ssl = tlsConnection(o.tls);
  if (o.sasl) kafka.sasl = o.sasl;
  return {
    brokers,
    partitions: o.partitions ?? 1,
    redeliveryDelay: o.redeliveryDelay ?? 100,
    heartbeatInterval: o.heartbeatInterval ?? 500,
    sessionTimeout: o.sessionTimeout ?? 10_000,
    retries,
    connectionTimeout,
    logger: o.logger,
    kafka,
  };
}
