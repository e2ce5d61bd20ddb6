import { defineConfig } from "vitest/config";

// The tests share one RabbitMQ server and the restart test stops a private one: run files one at a
// time so timings stay predictable.
export default defineConfig({
  test: { fileParallelism: false, testTimeout: 30_000, hookTimeout: 60_000 },
});
