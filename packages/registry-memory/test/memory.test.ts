import { testRegistry } from "@micro/testing/registry";
import { MemoryRegistry } from "../src/memory-registry.js";

// Participants of a test must share a backend; for the memory registry that is one instance, which
// keeps working after close() (the suite closes every participant after each test).
const shared = new MemoryRegistry();

testRegistry("memory", { create: () => shared, capabilities: { scale: 3000 } });
