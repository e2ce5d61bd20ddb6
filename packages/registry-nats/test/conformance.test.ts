import { testRegistry } from "@micro/testing/registry";
import { describeWithServer } from "@micro/testing/servers";
import { registry } from "./helpers.js";

describeWithServer("nats", "nats registry", () => {
  // TTL: go-micro's NATS registry has none; ours expires its own nodes that are not
  // re-registered in time (see README), which is what the suite's TTL test checks.
  testRegistry("nats", {
    create: () => registry(),
    capabilities: { scale: 3000 },
    settle: 100,
  });
});
