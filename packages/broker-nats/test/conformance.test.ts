// The shared broker conformance suite against a real nats-server, with 10k messages in the
// no-loss/no-duplicate test, and its restart test against a private nats-server.
import { silentLogger } from "@micro/core";
import { testBroker } from "@micro/testing/broker";
import { describeWithServer, serviceScripts, startPrivateServer } from "@micro/testing/servers";
import { NatsBroker } from "../src/index.js";
import { broker } from "./helpers.js";

describeWithServer("nats", "NatsBroker against nats-server", () => {
  testBroker("nats", {
    create: () => broker(),
    capabilities: { bulk: 10_000 },
    restart: serviceScripts()
      ? {
          server: () => startPrivateServer("nats"),
          create: (address) => new NatsBroker({ addresses: [address], logger: silentLogger }),
          resume: 20_000,
        }
      : undefined,
  });
});
