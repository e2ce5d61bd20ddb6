// A small leveled logger with structured fields; plugins log through the one they are given so
// applications can swap it (`@micro/logger-pino` adapts pino). Lines are text or one JSON object
// each (--log_format), at or above --log_level, on stderr.
import { format } from "node:util";

/** Named values that travel with a log line (`service`, `node`, `endpoint`, `request_id`, ...). */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, ...args: unknown[]): void;
  info(msg: string, ...args: unknown[]): void;
  warn(msg: string, ...args: unknown[]): void;
  error(msg: string, ...args: unknown[]): void;
  /**
   * A logger that adds `fields` to every line it writes (pino's `child`). Optional: for a logger
   * without it, `withFields` passes the fields as a trailing object argument instead.
   */
  child?(fields: LogFields): Logger;
  /** Whether a line at `level` is written, so callers can skip building one (pino's `isLevelEnabled`). */
  isLevelEnabled?(level: LogLevel): boolean;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;
/** The values of --log_level, most verbose first. */
export const LOG_LEVELS = Object.keys(LEVELS) as readonly LogLevel[];
/** The values of --log_format: `text` for people, `json` (one object per line) for collectors. */
export const LOG_FORMATS = ["text", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  /** Default: $MICRO_LOG_LEVEL, else `info`. */
  level?: LogLevel;
  /** Default: $MICRO_LOG_FORMAT, else `text`. */
  format?: LogFormat;
  /** Fields on every line. */
  fields?: LogFields;
  /** Where each line goes, newline included (default: process.stderr). */
  write?: (line: string) => void;
  /** The tag of text lines (default `micro`). */
  prefix?: string;
}

type Level = Exclude<LogLevel, "silent">;

/**
 * The logger a service creates: `createLogger({ level: "debug", format: "json" })`. The older
 * form `createLogger(level, prefix)` still works.
 */
export function createLogger(options?: LoggerOptions): Logger;
export function createLogger(level?: LogLevel, prefix?: string): Logger;
export function createLogger(options: LoggerOptions | LogLevel = {}, prefix?: string): Logger {
  const o = typeof options === "string" ? { level: options, ...(prefix ? { prefix } : {}) } : options;
  const level = o.level ?? envValue("MICRO_LOG_LEVEL", LOG_LEVELS, "info");
  const sink: Sink = {
    min: LEVELS[level] ?? LEVELS.info,
    json: (o.format ?? envValue("MICRO_LOG_FORMAT", LOG_FORMATS, "text")) === "json",
    prefix: o.prefix ?? "micro",
    write: o.write ?? ((line) => process.stderr.write(line)),
  };
  return new LineLogger(sink, o.fields ?? {});
}

interface Sink {
  readonly min: number;
  readonly json: boolean;
  readonly prefix: string;
  readonly write: (line: string) => void;
}

class LineLogger implements Logger {
  constructor(
    private readonly sink: Sink,
    private readonly fields: LogFields,
  ) {}

  debug(msg: string, ...args: unknown[]): void {
    if (LEVELS.debug >= this.sink.min) this.#line("debug", msg, args);
  }
  info(msg: string, ...args: unknown[]): void {
    if (LEVELS.info >= this.sink.min) this.#line("info", msg, args);
  }
  warn(msg: string, ...args: unknown[]): void {
    if (LEVELS.warn >= this.sink.min) this.#line("warn", msg, args);
  }
  error(msg: string, ...args: unknown[]): void {
    if (LEVELS.error >= this.sink.min) this.#line("error", msg, args);
  }

  child(fields: LogFields): Logger {
    return new LineLogger(this.sink, { ...this.fields, ...fields });
  }

  isLevelEnabled(level: LogLevel): boolean {
    return level !== "silent" && LEVELS[level] >= this.sink.min;
  }

  #line(level: Level, msg: string, args: unknown[]): void {
    const text = args.length ? format(msg, ...args) : msg;
    const time = new Date().toISOString();
    this.sink.write(
      this.sink.json
        ? jsonLine(time, level, text, this.fields)
        : textLine(time, level, this.sink.prefix, text, this.fields),
    );
  }
}

/** `{"time":…,"level":…,"msg":…,…fields}`; a field never replaces time, level or msg. */
function jsonLine(time: string, level: Level, msg: string, fields: LogFields): string {
  const out: LogFields = { time, level, msg };
  for (const k in fields) if (!(k in out) && fields[k] !== undefined) out[k] = fields[k];
  try {
    return `${JSON.stringify(out, jsonValue)}\n`;
  } catch {
    // a circular field: its text instead of no line at all
    for (const k in out) if (typeof out[k] === "object" && out[k] !== null) out[k] = String(out[k]);
    return `${JSON.stringify(out, jsonValue)}\n`;
  }
}

function jsonValue(_key: string, v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Error) return { type: v.name, message: v.message, stack: v.stack };
  return v;
}

/** `<time> INFO [micro] msg k=v k="v w"`; a `stack` field follows on its own lines. */
function textLine(time: string, level: Level, prefix: string, msg: string, fields: LogFields): string {
  let line = `${time} ${level.toUpperCase()} [${prefix}] ${msg}`;
  let stack = "";
  for (const k in fields) {
    const v = fields[k];
    if (v === undefined) continue;
    if (k === "stack" && typeof v === "string") stack = `\n${v}`;
    else line += ` ${k}=${textValue(v)}`;
  }
  return `${line}${stack}\n`;
}

function textValue(v: unknown): string {
  if (typeof v === "string") return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (v instanceof Error) return JSON.stringify(v.message);
  try {
    return JSON.stringify(v, jsonValue) ?? String(v);
  } catch {
    return JSON.stringify(String(v));
  }
}

function envValue<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const v = (process.env[name] ?? "").toLowerCase();
  return (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

/**
 * `logger` with `fields` on every line: its own `child` when it has one; otherwise the fields are
 * passed as a trailing object argument (what a console-like logger prints after the message).
 */
export function withFields(logger: Logger, fields: LogFields): Logger {
  if (logger.child) return logger.child(fields);
  const add =
    (fn: (msg: string, ...args: unknown[]) => void) =>
    (msg: string, ...args: unknown[]) =>
      fn.call(logger, msg, ...args, fields);
  const wrapped: Logger = {
    debug: add(logger.debug),
    info: add(logger.info),
    warn: add(logger.warn),
    error: add(logger.error),
    child: (more) => withFields(logger, { ...fields, ...more }),
  };
  if (logger.isLevelEnabled) wrapped.isLevelEnabled = (level) => logger.isLevelEnabled!(level);
  return wrapped;
}

/** Whether `logger` writes lines at `level` (true when it cannot say). */
export function levelEnabled(logger: Logger, level: LogLevel): boolean {
  return logger.isLevelEnabled?.(level) ?? true;
}

/** One line with its own fields, built only when the level is on. */
export function logWith(logger: Logger, level: Level, msg: string, fields: LogFields): void {
  if (levelEnabled(logger, level)) withFields(logger, fields)[level](msg);
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
  isLevelEnabled: () => false,
};

let defaultLogger: Logger | undefined;
let customLogger: Logger | undefined;

/** The process's logger for code outside a service: setLogger's, else one from $MICRO_LOG_*. */
export function getLogger(): Logger {
  if (customLogger) return customLogger;
  defaultLogger ??= createLogger();
  return defaultLogger;
}

/**
 * Replaces the process's logger; services created without a `logger` option use it too (their
 * `--log_*` flags then do not apply). `undefined` goes back to the default.
 */
export function setLogger(logger: Logger | undefined): void {
  customLogger = logger;
}

/** The logger setLogger installed, if any (a service builds its own from its flags otherwise). */
export function installedLogger(): Logger | undefined {
  return customLogger;
}
