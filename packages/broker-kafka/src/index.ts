import { type Config, MicroErrorCode, PluginError, registerPlugin } from "@micro/core";
import type { SASLOptions } from "kafkajs";
import { KafkaBroker } from "./kafka-broker.js";

export { decodeEnvelope, type Envelope, EnvelopeError, encodeEnvelope } from "./envelope.js";
export { KafkaBrokerError } from "./errors.js";
export { KafkaBroker } from "./kafka-broker.js";
export { DEFAULT_BROKERS, type KafkaBrokerOptions } from "./options.js";
export {
  CONTENT_TYPE_HEADER,
  DEFAULT_CONTENT_TYPE,
  fromRecord,
  recordHeaders,
  TOPIC_HEADER,
} from "./record.js";
export { KafkaSubscription } from "./subscription.js";

const MECHANISMS = ["plain", "scram-sha-256", "scram-sha-512"] as const;

function positive(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0) {
    throw new PluginError(
      MicroErrorCode.InvalidOption,
      `${name}: expected a positive integer, got ${String(v)}`,
    );
  }
  return v;
}

function sasl(flags: Config): SASLOptions | undefined {
  const mechanism = (flags.broker_kafka_sasl_mechanism as string | undefined)?.toLowerCase();
  if (!mechanism) return undefined;
  if (!(MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new PluginError(
      MicroErrorCode.InvalidOption,
      `broker_kafka_sasl_mechanism: expected one of ${MECHANISMS.join(", ")}, got "${mechanism}"`,
    );
  }
  return {
    mechanism: mechanism as (typeof MECHANISMS)[number],
    username: (flags.broker_kafka_sasl_username as string | undefined) ?? "",
    password: (flags.broker_kafka_sasl_password as string | undefined) ?? "",
  };
}

registerPlugin({
  kind: "broker",
  name: "kafka",
  from: import.meta.url,
  description: "Apache Kafka broker (go-micro's kafka plugin): envelope records, consumer groups as queues",
  flags: [
    {
      name: "broker_kafka_partitions",
      description:
        "Partitions of the topics the kafka broker creates (queue members share at most that many ways)",
      type: "int",
      default: 1,
    },
    {
      name: "broker_kafka_sasl_mechanism",
      description: "SASL mechanism for the kafka broker: plain, scram-sha-256, scram-sha-512 (default none)",
    },
    { name: "broker_kafka_sasl_username", description: "SASL user name for the kafka broker" },
    { name: "broker_kafka_sasl_password", description: "SASL password for the kafka broker" },
  ],
  create: (ctx) =>
    new KafkaBroker({
      brokers: ctx.addresses,
      tls: ctx.tls,
      sasl: sasl(ctx.flags),
      partitions: positive("broker_kafka_partitions", ctx.flags.broker_kafka_partitions, 1),
      logger: ctx.logger,
    }),
});
