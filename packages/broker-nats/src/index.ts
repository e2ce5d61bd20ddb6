import { registerPlugin } from "@micro/core";
import { NatsBroker } from "./nats-broker.js";

export { DEFAULT_URL, normalizeServers } from "@micro/nats-connection";
export { type DurableSettings, streamName } from "./jetstream-setup.js";
export { ERROR_ID } from "./names.js";
export { NatsBroker, type NatsBrokerOptions } from "./nats-broker.js";

registerPlugin({
  kind: "broker",
  name: "nats",
  from: import.meta.url,
  description: "go-micro's NATS broker: subject = topic, JSON envelope payload, queue = queue group",
  create: (ctx) => new NatsBroker({ addresses: ctx.addresses, tls: ctx.tls, logger: ctx.logger }),
});
