// The brokers of the restart scenario, made the way an application would for a durable subscriber:
// NATS with a JetStream durable consumer, RabbitMQ with a durable queue (with or without persistent
// messages on a durable exchange), Kafka with a consumer group.
import { type Broker, createLogger } from "@micro/core";

export type BrokerKind = "nats" | "rabbitmq" | "rabbitmq-defaults" | "kafka";

export interface BrokerPeerConfig {
  kind: BrokerKind;
  url: string;
  topic: string;
  queue: string;
}

const logger = createLogger({ level: "warn", prefix: "chaos" });

export async function createBroker(c: BrokerPeerConfig): Promise<Broker> {
  switch (c.kind) {
    case "nats": {
      const { NatsBroker } = await import("@micro/broker-nats");
      return new NatsBroker({ addresses: [c.url], logger });
    }
    case "rabbitmq": {
      const { RabbitMQBroker } = await import("@micro/broker-rabbitmq");
      // what survives a restart: a durable exchange (so the queue's binding does) and
      // persistent messages (so what waits in the queue does)
      return new RabbitMQBroker({
        addresses: [c.url],
        logger,
        exchange: "chaos-durable",
        exchangeDurable: true,
        persistent: true,
      });
    }
    case "rabbitmq-defaults": {
      const { RabbitMQBroker } = await import("@micro/broker-rabbitmq");
      return new RabbitMQBroker({ addresses: [c.url], logger });
    }
    case "kafka": {
      const { KafkaBroker } = await import("@micro/broker-kafka");
      return new KafkaBroker({ brokers: [c.url], logger });
    }
  }
}
