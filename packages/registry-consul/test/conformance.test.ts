// The shared registry suite against the real agent.
import { testRegistry } from "@micro/testing/registry";
import { ConsulRegistry } from "../src/index.js";
import { CONSUL_ADDR, describeWithServer } from "./servers.js";

describeWithServer("consul", "consul conformance", () => {
  testRegistry("consul", {
    create: () => new ConsulRegistry({ addresses: [CONSUL_ADDR] }),
    // go-micro's consul format carries node metadata in tags, but no service-level metadata
    // scale: one agent registering slows down with every instance it holds (3,000 listed in
    // scale.test.ts are written to the catalog directly)
    capabilities: { serviceMetadata: false, scale: 500 },
    // the watcher's first answers (its baseline) must be in before the test writes
    settle: 300,
  });
});
