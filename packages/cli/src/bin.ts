#!/usr/bin/env node
// The `micro` executable. Refuses an older Node.js in one line before the CLI loads (its only static
// import has no imports of its own), then runs the command. Exits explicitly: plugin sockets (mdns,
// etcd watches) must not keep a finished command alive.
import { oldNodeMessage } from "./node-check.js";

const refused = oldNodeMessage();
if (refused) {
  process.stderr.write(`${refused}\n`);
  process.exit(1);
} else {
  // a dynamic import, so nothing of the CLI loads on a Node.js it would fail on
  void import("./main.js").then(async ({ run }) => process.exit(await run(process.argv.slice(2))));
}
