import { MicroErrorCode, PluginError, parseDuration, registerPlugin } from "@micro/core";
import { HttpTransport } from "./http-transport.js";
import { DEFAULT_MAX_MESSAGE_SIZE } from "./options.js";
import { VERSION } from "./version.js";

export { CLIENT_ERROR_ID, SERVER_ERROR_ID } from "./errors.js";
export { HttpTransport } from "./http-transport.js";
export {
  DEFAULT_DIAL_TIMEOUT,
  DEFAULT_MAX_HEADER_SIZE,
  DEFAULT_MAX_MESSAGE_SIZE,
  type HttpTransportOptions,
} from "./options.js";
export { VERSION } from "./version.js";

registerPlugin({
  kind: "transport",
  name: "http",
  version: VERSION,
  description: "go-micro's default transport: HTTP/1.1 messages on persistent TCP connections",
  flags: [
    {
      name: "transport_max_message_size",
      description: "Largest message body the http transport accepts, in bytes",
      default: String(DEFAULT_MAX_MESSAGE_SIZE),
    },
    {
      name: "transport_timeout",
      description: "Read/write deadline of each http transport operation, Go duration (0 = none)",
      default: "0",
    },
  ],
  create: (ctx) => {
    const raw = ctx.flags.transport_max_message_size;
    const maxMessageSize = raw === undefined ? DEFAULT_MAX_MESSAGE_SIZE : Number(raw);
    if (!Number.isSafeInteger(maxMessageSize) || maxMessageSize <= 0) {
      throw new PluginError(
        MicroErrorCode.InvalidOption,
        `transport_max_message_size: expected a positive integer, got "${raw}"`,
      );
    }
    const timeout = parseDuration(ctx.flags.transport_timeout ?? "0");
    return new HttpTransport({ tls: ctx.tls, logger: ctx.logger, maxMessageSize, timeout });
  },
});
