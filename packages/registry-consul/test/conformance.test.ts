// The shared registry suite against the real agent.
import { testRegistry } from "@micro/testing/registry";
import { ConsulRegistry } from "../src/index.js";
import { CONSUL_ADDR, describeWithServer } from "./servers.js";

describeWithServer("consul", "consul conformance", () => {
  testRegistry("consul", {
    create: () => new ConsulRegistry({ addresses: [CONSUL_ADDR] }),
    // go-micro's consul format carries node metadata in tags, but no service-level metadata
    capabilities: { serviceMetadata: false },
    // the watcher's first answers (its baseline) must be in before the test writes
    settle: 300,
  });
});
