import { registerPlugin } from "@micro/core";
import { NatsTransport } from "./nats-transport.js";

export { DEFAULT_URL, normalizeServers } from "@micro/nats-connection";
export { CLIENT_ERROR_ID, SERVER_ERROR_ID } from "./errors.js";
export { CLOSE_STREAM, decodeFrame, encodeFrame } from "./frame.js";
export { NatsTransport, type NatsTransportOptions } from "./nats-transport.js";

registerPlugin({
  kind: "transport",
  name: "nats",
  from: import.meta.url,
  description: "go-micro's NATS transport: listeners are subjects, replies go to the caller's inbox",
  flags: [
    {
      name: "transport_nats_idle_timeout",
      type: "duration",
      description: "Release server sockets idle this long, a duration (0 = never)",
      default: 60_000,
    },
  ],
  create: (ctx) =>
    new NatsTransport({
      addresses: ctx.addresses,
      tls: ctx.tls,
      logger: ctx.logger,
      idleTimeout: ctx.flags.transport_nats_idle_timeout as number | undefined,
    }),
});
