import { MicroErrorCode, PluginError, registerPlugin } from "@micro/core";
import { DEFAULTS } from "./options.js";
import { RabbitMQBroker } from "./rabbitmq-broker.js";

export { ERROR_ID } from "./connection.js";
export { deliveryHeader, publishProperties, TOPIC_HEADER } from "./headers.js";
export { DEFAULTS, type RabbitMQBrokerOptions } from "./options.js";
export { RabbitMQBroker } from "./rabbitmq-broker.js";
export { DEFAULT_URL, normalizeUrls, redact } from "./url.js";

registerPlugin({
  kind: "broker",
  name: "rabbitmq",
  from: import.meta.url,
  description: "RabbitMQ broker, wire-compatible with go-micro's (exchange micro, raw bodies, AMQP headers)",
  flags: [
    { name: "broker_rabbitmq_exchange", description: "RabbitMQ exchange", default: DEFAULTS.exchange },
    {
      name: "broker_rabbitmq_exchange_type",
      description: "RabbitMQ exchange type",
      default: DEFAULTS.exchangeType,
    },
    {
      name: "broker_rabbitmq_exchange_durable",
      type: "bool",
      description: "Declare the RabbitMQ exchange durable (true/false)",
      default: DEFAULTS.exchangeDurable,
    },
    {
      name: "broker_rabbitmq_prefetch",
      type: "int",
      description: "Unacknowledged deliveries per subscription (0 = unlimited)",
      default: DEFAULTS.prefetch,
    },
    {
      name: "broker_rabbitmq_requeue_on_error",
      type: "bool",
      description: "Requeue a message whose handler failed (true/false)",
      default: DEFAULTS.requeueOnError,
    },
  ],
  create: (ctx) => {
    const f = ctx.flags;
    const prefetch = f.broker_rabbitmq_prefetch as number | undefined;
    if (prefetch !== undefined && !(Number.isInteger(prefetch) && prefetch >= 0 && prefetch <= 65535)) {
      throw new PluginError(
        MicroErrorCode.InvalidOption,
        `broker_rabbitmq_prefetch: expected an integer in 0..65535, got ${prefetch}`,
      );
    }
    return new RabbitMQBroker({
      addresses: ctx.addresses,
      tls: ctx.tls,
      logger: ctx.logger,
      exchange: (f.broker_rabbitmq_exchange as string | undefined) || undefined,
      exchangeType: (f.broker_rabbitmq_exchange_type as string | undefined) || undefined,
      exchangeDurable: f.broker_rabbitmq_exchange_durable as boolean | undefined,
      prefetch,
      requeueOnError: f.broker_rabbitmq_requeue_on_error as boolean | undefined,
    });
  },
});
