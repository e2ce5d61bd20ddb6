import type { Logger } from "@micro/core";
import { logLevel } from "kafkajs";
import { expect, it } from "vitest";
import { logCreator } from "../src/logging.js";

it("routes kafkajs warnings and errors to the logger as warnings, drops the rest", () => {
  const warned: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (m) => void warned.push(m), error() {} };
  const log = logCreator(logger)(logLevel.WARN);
  const entry = (level: logLevel, namespace: string, message: string) =>
    log({ namespace, level, label: "", log: { timestamp: "", logger: "kafkajs", message } });
  entry(logLevel.ERROR, "Consumer", "crashed");
  entry(logLevel.WARN, "Runner", "slow");
  entry(logLevel.INFO, "Consumer", "joined");
  entry(logLevel.DEBUG, "Connection", "request");
  entry(logLevel.ERROR, "Connection", "Response CreateTopics(key: 19, version: 3)");
  expect(warned).toEqual(["kafka broker: kafkajs Consumer: crashed", "kafka broker: kafkajs Runner: slow"]);
});
