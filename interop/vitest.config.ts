import { defineConfig } from "vitest/config";

// The matrix shares one network namespace per file and real go-micro processes: run files one by one.
export default defineConfig({ test: { fileParallelism: false, testTimeout: 30_000, hookTimeout: 60_000 } });
