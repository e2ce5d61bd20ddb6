// The shared broker conformance suite against the real Kafka, and its restart test against a
// private Kafka of its own (KRaft, from the cached jars; ~6–15 s to start, so it starts once).
import { testBroker } from "@micro/testing/broker";
import { describeWithServer, serviceScripts, startPrivateServer } from "@micro/testing/servers";
import { broker } from "./helpers.js";

describeWithServer("kafka", "kafka broker", () => {
  testBroker("kafka", {
    // 4 partitions: a queue group's members share a topic at most as many ways as it has partitions,
    // and the suite checks that the work is shared
    create: () => broker({ partitions: 4 }),
    capabilities: {
      // subscribe() resolves after the group join, so no settling is needed for delivery; the queue
      // test's members join one after another, and each join rebalances the ones before it
      settle: 1000,
      timeout: 20_000,
      quiet: 500,
      bulk: 10_000,
    },
    restart: serviceScripts()
      ? {
          server: () => startPrivateServer("kafka"),
          create: (address) => broker({ brokers: [address] }),
          resume: 60_000,
        }
      : undefined,
  });
});
