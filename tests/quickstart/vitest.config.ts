import { defineConfig } from "vitest/config";

// packing, installing and running processes: each step is bounded by its own timeout
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 180_000 } });
