import { silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { testBroker } from "@micro/testing/broker";
import { HttpBroker } from "../src/http-broker.js";

// Every participant is its own broker (its own listener, like a separate process); they meet in one registry.
const registry = new MemoryRegistry();

testBroker("http", { create: () => new HttpBroker({ registry, logger: silentLogger }) });
