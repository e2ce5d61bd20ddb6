import { MicroErrorCode, PluginError, registerPlugin } from "@micro/core";
import { DEFAULT_MAX_BODY_SIZE, HttpBroker } from "./http-broker.js";

export { decodeEnvelope, EnvelopeError, encodeEnvelope } from "./envelope.js";
export { DEFAULT_MAX_BODY_SIZE, HttpBroker, type HttpBrokerOptions } from "./http-broker.js";
export { BROADCAST_VERSION, BROKER_SERVICE, ERROR_ID, TOPIC_HEADER } from "./names.js";
export { subscriberService } from "./registration.js";
export { goQueryEscape, nodeURL } from "./sender.js";
export type { HttpBrokerStats } from "./stats.js";

registerPlugin({
  kind: "broker",
  name: "http",
  from: import.meta.url,
  default: true,
  description: "go-micro's default broker: subscribers advertised in the registry, messages POSTed to them",
  flags: [
    {
      name: "broker_http_max_body",
      type: "int",
      description: "Largest message envelope the http broker accepts, in bytes",
      default: DEFAULT_MAX_BODY_SIZE,
    },
    {
      name: "broker_http_require_delivery",
      type: "bool",
      description:
        "Make publish fail when no subscriber took the message (dead, refused, or none); retries are awaited",
      default: false,
    },
  ],
  create: (ctx) => {
    if (!ctx.registry) {
      throw new PluginError(
        MicroErrorCode.InvalidOption,
        "the http broker needs a registry (subscribers are advertised and found through it); none was given",
      );
    }
    const maxBody = (ctx.flags.broker_http_max_body as number | undefined) ?? DEFAULT_MAX_BODY_SIZE;
    if (!Number.isSafeInteger(maxBody) || maxBody <= 0) {
      throw new PluginError(
        MicroErrorCode.InvalidOption,
        `broker_http_max_body: expected a positive integer, got ${maxBody}`,
      );
    }
    return new HttpBroker({
      registry: ctx.registry,
      address: ctx.addresses[0],
      tls: ctx.tls,
      logger: ctx.logger,
      maxBodySize: maxBody,
      requireDelivery: ctx.flags.broker_http_require_delivery === true,
    });
  },
});
