import { MicroErrorCode, PluginError, registerPlugin } from "@micro/core";
import { HttpTransport } from "./http-transport.js";
import { DEFAULT_MAX_MESSAGE_SIZE } from "./options.js";

export { CLIENT_ERROR_ID, SERVER_ERROR_ID } from "./errors.js";
export { HttpTransport } from "./http-transport.js";
export {
  DEFAULT_DIAL_TIMEOUT,
  DEFAULT_MAX_HEADER_SIZE,
  DEFAULT_MAX_MESSAGE_SIZE,
  type HttpTransportOptions,
} from "./options.js";

registerPlugin({
  kind: "transport",
  name: "http",
  from: import.meta.url,
  default: true,
  description: "go-micro's default transport: HTTP/1.1 messages on persistent TCP connections",
  flags: [
    {
      name: "transport_max_message_size",
      type: "int",
      description: "Largest message body the http transport accepts, in bytes",
      default: DEFAULT_MAX_MESSAGE_SIZE,
    },
    {
      name: "transport_timeout",
      type: "duration",
      description: "Read/write deadline of each http transport operation, a duration (0 = none)",
      default: 0,
    },
  ],
  create: (ctx) => {
    const maxMessageSize =
      (ctx.flags.transport_max_message_size as number | undefined) ?? DEFAULT_MAX_MESSAGE_SIZE;
    if (!Number.isSafeInteger(maxMessageSize) || maxMessageSize <= 0) {
      throw new PluginError(
        MicroErrorCode.InvalidOption,
        `transport_max_message_size: expected a positive integer, got ${maxMessageSize}`,
      );
    }
    const timeout = (ctx.flags.transport_timeout as number | undefined) ?? 0;
    return new HttpTransport({ tls: ctx.tls, logger: ctx.logger, maxMessageSize, timeout });
  },
});
