import { randomUUID } from "node:crypto";
import { silentLogger } from "@micro/core";
import { serverEnv } from "@micro/testing/servers";
import { Kafka, logLevel } from "kafkajs";
import { KafkaBroker, type KafkaBrokerOptions } from "../src/index.js";

/** The bootstrap brokers: $KAFKA_BROKERS, else what scripts/services/start.sh wrote, else the default. */
export const kafkaBrokers = (): string[] =>
  serverEnv("kafka")
    .address.split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export function broker(options: Partial<KafkaBrokerOptions> = {}): KafkaBroker {
  return new KafkaBroker({ brokers: kafkaBrokers(), logger: silentLogger, ...options });
}

/** A plain kafkajs client, standing in for a Go peer or any other Kafka tool. */
export function rawKafka(): Kafka {
  return new Kafka({ brokers: kafkaBrokers(), clientId: "raw-test", logLevel: logLevel.NOTHING });
}

export const topicName = (what: string) => `test.${what}.${randomUUID().slice(0, 8)}`;

export { sleep, text, untext, waitFor } from "@micro/testing/helpers";
