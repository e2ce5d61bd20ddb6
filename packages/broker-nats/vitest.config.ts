import { defineConfig } from "vitest/config";

// The tests share one NATS server and the restart test stops a private one: run files one at a
// time so timings stay predictable.
export default defineConfig({
  test: { fileParallelism: false, testTimeout: 30_000, hookTimeout: 30_000 },
});
