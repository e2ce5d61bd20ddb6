// The shared broker conformance suite against a real nats-server, with 10k messages in the
// no-loss/no-duplicate test.
import { testBroker } from "@micro/testing/broker";
import { describeWithServer } from "@micro/testing/servers";
import { broker } from "./helpers.js";

describeWithServer("nats", "NatsBroker against nats-server", () => {
  testBroker("nats", { create: () => broker(), capabilities: { bulk: 10_000 } });
});
