// A tiny leveled logger; plugins log through the one they are given so applications can swap it.

export interface Logger {
  debug(msg: string, ...args: unknown[]): void;
  info(msg: string, ...args: unknown[]): void;
  warn(msg: string, ...args: unknown[]): void;
  error(msg: string, ...args: unknown[]): void;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

export function createLogger(level: LogLevel = envLevel(), prefix = "micro"): Logger {
  const min = LEVELS[level] ?? LEVELS.info;
  const at =
    (lvl: Exclude<LogLevel, "silent">, sink: (...a: unknown[]) => void) =>
    (msg: string, ...args: unknown[]) => {
      if (LEVELS[lvl] >= min)
        sink(`${new Date().toISOString()} ${lvl.toUpperCase()} [${prefix}] ${msg}`, ...args);
    };
  return {
    debug: at("debug", console.error),
    info: at("info", console.error),
    warn: at("warn", console.error),
    error: at("error", console.error),
  };
}

function envLevel(): LogLevel {
  const v = (process.env.MICRO_LOG_LEVEL ?? "info").toLowerCase();
  return (v in LEVELS ? v : "info") as LogLevel;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

let defaultLogger: Logger | undefined;
export function getLogger(): Logger {
  defaultLogger ??= createLogger();
  return defaultLogger;
}
export function setLogger(logger: Logger): void {
  defaultLogger = logger;
}
