#!/usr/bin/env node
// The `micro` executable. Exits explicitly: plugin sockets (mdns, etcd watches) must not keep a
// finished command alive.
import { run } from "./main.js";

const code = await run(process.argv.slice(2));
process.exit(code);
