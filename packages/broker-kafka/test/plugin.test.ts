import { getPlugin, MicroErrorCode, silentLogger } from "@micro/core";
import { resolveConfig } from "@micro/core/internal";
import { expect, it } from "vitest";
import { KafkaBroker } from "../src/index.js";

// flags as the command line gives them, parsed by the plugin's own specs
const create = (addresses: string[], argv: string[] = []) => {
  const def = getPlugin("broker", "kafka")!;
  return def.create({
    addresses,
    flags: resolveConfig(def.flags ?? [], { argv, env: {} }),
    logger: silentLogger,
  });
};

it("registers the kafka broker plugin, dialing 127.0.0.1:9092 by default", () => {
  const b = create([]);
  expect(b).toBeInstanceOf(KafkaBroker);
  expect(b.name).toBe("kafka");
  expect(b.address()).toBe("127.0.0.1:9092");
  expect(create(["10.0.0.1:9092", "10.0.0.2:9092"]).address()).toBe("10.0.0.1:9092,10.0.0.2:9092");
});

it("refuses invalid plugin flags with a coded error", () => {
  expect(() => create([], ["--broker_kafka_partitions=0"])).toThrow(MicroErrorCode.InvalidOption);
  expect(() => create([], ["--broker_kafka_partitions=two"])).toThrow(/broker_kafka_partitions/);
  expect(() => create([], ["--broker_kafka_sasl_mechanism=kerberos"])).toThrow(/plain, scram-sha-256/);
  expect(
    create([], ["--broker_kafka_sasl_mechanism=PLAIN", "--broker_kafka_sasl_username=u"]),
  ).toBeInstanceOf(KafkaBroker);
});
