import { silentLogger } from "@micro/core";
import { testBroker } from "@micro/testing/broker";
import { MemoryBroker } from "../src/memory-broker.js";

// Participants of a test must share a backend; for the memory broker that is one instance.
const shared = new MemoryBroker({ logger: silentLogger });

testBroker("memory", { create: () => shared });
