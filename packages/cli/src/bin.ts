#!/usr/bin/env node
// The `micro` executable. Refuses an older Node.js in one line before the CLI loads (its static
// imports are a built-in and a module with no imports of its own), then runs the command. Exits
// explicitly: plugin sockets (mdns, etcd watches) must not keep a finished command alive.

// a namespace import: an older Node.js lacks enableCompileCache and must still reach the check
import * as nodeModule from "node:module";
import { oldNodeMessage } from "./node-check.js";

/** Resolves once everything written to `stream` so far has been handed to the OS. */
const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => stream.write("", () => resolve()));

const refused = oldNodeMessage();
if (refused) {
  process.stderr.write(`${refused}\n`);
  process.exit(1);
} else {
  // Node's on-disk code cache (22.1+; in the OS temp dir, checked against each file's contents):
  // a command compiles the CLI and its plugins' modules once, not on every run (etcd's gRPC
  // stack alone is 165 files)
  nodeModule.enableCompileCache?.();
  // a dynamic import, so nothing of the CLI loads on a Node.js it would fail on
  void import("./main.js").then(async ({ run }) => {
    const code = await run(process.argv.slice(2));
    // writes to a pipe are asynchronous: exiting at once cut `micro services --output json | jq`
    // at 10,000 services after ~140 KB
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  });
}
