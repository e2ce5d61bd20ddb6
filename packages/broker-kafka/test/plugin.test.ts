import { getPlugin, MicroErrorCode, silentLogger } from "@micro/core";
import { expect, it } from "vitest";
import { KafkaBroker } from "../src/index.js";

const create = (addresses: string[], flags: Record<string, string | undefined> = {}) =>
  getPlugin("broker", "kafka")!.create({ addresses, flags, logger: silentLogger });

it("registers the kafka broker plugin, dialing 127.0.0.1:9092 by default", () => {
  const b = create([]);
  expect(b).toBeInstanceOf(KafkaBroker);
  expect(b.name).toBe("kafka");
  expect(b.address()).toBe("127.0.0.1:9092");
  expect(create(["10.0.0.1:9092", "10.0.0.2:9092"]).address()).toBe("10.0.0.1:9092,10.0.0.2:9092");
});

it("refuses invalid plugin flags with a coded error", () => {
  expect(() => create([], { broker_kafka_partitions: "0" })).toThrow(MicroErrorCode.InvalidOption);
  expect(() => create([], { broker_kafka_sasl_mechanism: "kerberos" })).toThrow(/plain, scram-sha-256/);
  expect(
    create([], { broker_kafka_sasl_mechanism: "PLAIN", broker_kafka_sasl_username: "u" }),
  ).toBeInstanceOf(KafkaBroker);
});
