import { defineConfig } from "vitest/config";

// The shared transport suite assumes host:port addresses in two tests ("binds a concrete port..."
// and the local/remote check of "echoes one message"); NATS transport addresses are subjects, as in
// go-micro. Those two are left out here and their substance (echo, addresses) is covered by
// test/wire.test.ts. Tests share one NATS server and the restart test stops a private one: files
// run one at a time so timings stay predictable.
export default defineConfig({
  test: {
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    testNamePattern: /^(?!.*(binds a concrete port|echoes one message: headers and body arrive intact)).*$/,
  },
});
