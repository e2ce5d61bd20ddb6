import { defineConfig } from "vitest/config";

// Tests share one NATS server and the restart test stops a private one: files run one at a time so
// timings stay predictable.
export default defineConfig({
  test: { fileParallelism: false, testTimeout: 30_000, hookTimeout: 30_000 },
});
