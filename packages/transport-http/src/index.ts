import { MicroErrorCode, PluginError, registerPlugin } from "@micro/core";
import { HttpTransport } from "./http-transport.js";
import {
  DEFAULT_IDLE_TIMEOUT,
  DEFAULT_MAX_BODY_BYTES_IN_FLIGHT,
  DEFAULT_MAX_MESSAGE_SIZE,
  DEFAULT_READ_HEADER_TIMEOUT,
} from "./options.js";

export { CLIENT_ERROR_ID, SERVER_ERROR_ID } from "./errors.js";
export { HttpTransport } from "./http-transport.js";
export {
  DEFAULT_DIAL_TIMEOUT,
  DEFAULT_IDLE_TIMEOUT,
  DEFAULT_MAX_BODY_BYTES_IN_FLIGHT,
  DEFAULT_MAX_HEADER_SIZE,
  DEFAULT_MAX_MESSAGE_SIZE,
  DEFAULT_READ_HEADER_TIMEOUT,
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
    {
      name: "transport_read_header_timeout",
      type: "duration",
      description: "Time a request's header block may take from its first byte, a duration (0 = none)",
      default: DEFAULT_READ_HEADER_TIMEOUT,
    },
    {
      name: "transport_idle_timeout",
      type: "duration",
      description: "Time an accepted connection may wait for its next request, a duration (0 = none)",
      default: DEFAULT_IDLE_TIMEOUT,
    },
    {
      name: "transport_max_body_bytes_in_flight",
      type: "int",
      description: "Request body bytes all accepted connections may hold at once; more waits (0 = no cap)",
      default: DEFAULT_MAX_BODY_BYTES_IN_FLIGHT,
    },
    {
      name: "transport_max_connections",
      type: "int",
      description:
        "Connections a listener holds at once; more get a 503 (default: the open-file limit less 10%, 0 = no cap)",
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
    const f = ctx.flags;
    return new HttpTransport({
      tls: ctx.tls,
      logger: ctx.logger,
      maxMessageSize,
      timeout: (f.transport_timeout as number | undefined) ?? 0,
      readHeaderTimeout: nonNegative(f.transport_read_header_timeout, "transport_read_header_timeout"),
      idleTimeout: nonNegative(f.transport_idle_timeout, "transport_idle_timeout"),
      maxBodyBytesInFlight: nonNegative(
        f.transport_max_body_bytes_in_flight,
        "transport_max_body_bytes_in_flight",
      ),
      maxConnections: nonNegative(f.transport_max_connections, "transport_max_connections"),
    });
  },
});

function nonNegative(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new PluginError(MicroErrorCode.InvalidOption, `${name}: expected 0 or more, got ${String(value)}`);
  }
  return value;
}
