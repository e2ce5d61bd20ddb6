import { MicroErrorCode, PluginError, registerPlugin } from "@micro/core";
import { DEFAULTS } from "./options.js";
import { RabbitMQBroker } from "./rabbitmq-broker.js";

export { ERROR_ID } from "./connection.js";
export { deliveryHeader, publishProperties, TOPIC_HEADER } from "./headers.js";
export { DEFAULTS, type RabbitMQBrokerOptions } from "./options.js";
export { RabbitMQBroker } from "./rabbitmq-broker.js";
export { DEFAULT_URL, normalizeUrls, redact } from "./url.js";

const VERSION = "0.1.0";

function bool(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined || v === "") return undefined;
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw new PluginError(MicroErrorCode.InvalidOption, `${name}: expected true or false, got "${v}"`);
}

registerPlugin({
  kind: "broker",
  name: "rabbitmq",
  version: VERSION,
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
      description: "Declare the RabbitMQ exchange durable (true/false)",
      default: String(DEFAULTS.exchangeDurable),
    },
    {
      name: "broker_rabbitmq_prefetch",
      description: "Unacknowledged deliveries per subscription (0 = unlimited)",
      default: String(DEFAULTS.prefetch),
    },
    {
      name: "broker_rabbitmq_requeue_on_error",
      description: "Requeue a message whose handler failed (true/false)",
      default: String(DEFAULTS.requeueOnError),
    },
  ],
  create: (ctx) => {
    const f = ctx.flags;
    const prefetch =
      f.broker_rabbitmq_prefetch === undefined ? undefined : Number(f.broker_rabbitmq_prefetch);
    if (prefetch !== undefined && !(Number.isInteger(prefetch) && prefetch >= 0 && prefetch <= 65535)) {
      throw new PluginError(
        MicroErrorCode.InvalidOption,
        `broker_rabbitmq_prefetch: expected an integer in 0..65535, got "${f.broker_rabbitmq_prefetch}"`,
      );
    }
    return new RabbitMQBroker({
      addresses: ctx.addresses,
      tls: ctx.tls,
      logger: ctx.logger,
      exchange: f.broker_rabbitmq_exchange || undefined,
      exchangeType: f.broker_rabbitmq_exchange_type || undefined,
      exchangeDurable: bool("broker_rabbitmq_exchange_durable", f.broker_rabbitmq_exchange_durable),
      prefetch,
      requeueOnError: bool("broker_rabbitmq_requeue_on_error", f.broker_rabbitmq_requeue_on_error),
    });
  },
});
