import { parseDuration, registerPlugin } from "@micro/core";
import { NatsTransport } from "./nats-transport.js";
import { VERSION } from "./version.js";

export { DEFAULT_URL, normalizeServers } from "@micro/nats-connection";
export { CLIENT_ERROR_ID, SERVER_ERROR_ID } from "./errors.js";
export { CLOSE_STREAM, decodeFrame, encodeFrame } from "./frame.js";
export { NatsTransport, type NatsTransportOptions } from "./nats-transport.js";
export { VERSION } from "./version.js";

registerPlugin({
  kind: "transport",
  name: "nats",
  version: VERSION,
  description: "go-micro's NATS transport: listeners are subjects, replies go to the caller's inbox",
  flags: [
    {
      name: "transport_nats_idle_timeout",
      description: "Release server sockets idle this long, Go duration (0 = never)",
      default: "1m",
    },
  ],
  create: (ctx) =>
    new NatsTransport({
      addresses: ctx.addresses,
      tls: ctx.tls,
      logger: ctx.logger,
      idleTimeout: parseDuration(ctx.flags.transport_nats_idle_timeout ?? "1m"),
    }),
});
