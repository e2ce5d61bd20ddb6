import { defineConfig } from "vitest/config";

// every test starts the real binary (about a second each) and some wait for services to register
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 120_000 } });
