import { testBroker } from "@micro/testing/broker";
import { describeWithServer } from "@micro/testing/servers";
import { broker } from "./helpers.js";

describeWithServer("rabbitmq", "rabbitmq broker", () => {
  testBroker("rabbitmq", {
    create: () => broker(),
    capabilities: { bulk: 10_000 },
  });
});
