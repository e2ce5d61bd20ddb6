// A real core logger writing JSON lines into an array, so tests read what an operator would.
import { createLogger, type Logger, type LogLevel } from "../../src/index.js";

export interface LogLine {
  time: string;
  level: string;
  msg: string;
  [field: string]: unknown;
}

export function jsonLogger(level: LogLevel = "debug"): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger({ level, format: "json", write: (l) => lines.push(JSON.parse(l)) });
  return { logger, lines };
}
