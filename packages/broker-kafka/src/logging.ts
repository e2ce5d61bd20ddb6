// kafkajs logs through its own console logger by default; ours routes it to the service's logger
// instead. Only warnings and errors pass (kafkajs is chatty at info), and both go out as warnings:
// failures that matter to the caller surface as rejected promises, so kafkajs's own errors are
// context (a broker restarting, a rebalance), not the report.
import type { Logger } from "@micro/core";
import { type logCreator as LogCreator, logLevel } from "kafkajs";

export const KAFKAJS_LOG_LEVEL = logLevel.WARN;

export function logCreator(logger: Logger): LogCreator {
  return () =>
    ({ namespace, level, log }) => {
      if (level > logLevel.WARN || level === logLevel.NOTHING) return;
      const { message, timestamp: _t, logger: _l, ...extra } = log;
      // kafkajs logs every CreateTopics response with an error, including "already exists", which
      // is the normal answer when we ensure a topic; real failures reject createTopics, so we see them
      if (namespace === "Connection" && String(message).startsWith("Response CreateTopics")) return;
      const where = namespace ? ` ${namespace}` : "";
      if (Object.keys(extra).length > 0) logger.warn(`kafka broker: kafkajs${where}: ${message}`, extra);
      else logger.warn(`kafka broker: kafkajs${where}: ${message}`);
    };
}
