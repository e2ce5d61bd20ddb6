import { defineConfig } from "vitest/config";

// One Kafka for every file, and group joins take seconds: files one at a time, generous timeouts.
export default defineConfig({
  test: { fileParallelism: false, testTimeout: 60_000, hookTimeout: 60_000 },
});
