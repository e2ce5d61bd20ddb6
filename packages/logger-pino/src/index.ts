// pino as a Micro logger: levels map one to one, a service's fields (service, node, endpoint,
// request_id, ...) become pino child bindings, and plugins' `logger.warn("msg", err)` calls keep
// working (an Error argument goes to pino's `err`, the rest is formatted into the message).
import { format } from "node:util";
import type { LogFields, Logger, LogLevel } from "@micro/core";
import type { Logger as Pino } from "pino";

type Level = Exclude<LogLevel, "silent">;

/**
 * A Micro `Logger` writing through `pino` (its level, destination, transports and serializers
 * apply; the service's --log_level and --log_format do not).
 */
export function pinoLogger(pino: Pino): Logger {
  const at =
    (level: Level) =>
    (msg: string, ...args: unknown[]): void => {
      if (!pino.isLevelEnabled(level)) return;
      if (args.length === 0) {
        pino[level](msg);
        return;
      }
      const { fields, rest } = split(msg, args);
      const text = rest.length ? format(msg, ...rest) : msg;
      if (fields) pino[level](fields, text);
      else pino[level](text);
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (fields: LogFields) => pinoLogger(pino.child(fields)),
    isLevelEnabled: (level: LogLevel) => level !== "silent" && pino.isLevelEnabled(level),
  };
}

const PLACEHOLDER = /%[sdifjoOc]/g;

/**
 * The arguments pino should see as an object: the first Error as `err` (pino's serializer keeps its
 * type, message and stack), and a trailing plain object no `%` placeholder consumes (the fields a
 * logger without `child` is given) merged in. What is left is formatted into the message.
 */
function split(msg: string, args: unknown[]): { fields?: LogFields; rest: unknown[] } {
  let fields: LogFields | undefined;
  let rest = args;
  const last = rest[rest.length - 1];
  if (isPlainObject(last) && rest.length > (msg.match(PLACEHOLDER)?.length ?? 0)) {
    fields = { ...last };
    rest = rest.slice(0, -1);
  }
  const i = rest.findIndex((a) => a instanceof Error);
  if (i >= 0) {
    fields = { ...fields, err: rest[i] };
    rest = rest.filter((_, j) => j !== i);
  }
  return fields ? { fields, rest } : { rest };
}

function isPlainObject(v: unknown): v is LogFields {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
