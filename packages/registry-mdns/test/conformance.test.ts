import { silentLogger } from "@micro/core";
import { testRegistry } from "@micro/testing/registry";
import { MdnsRegistry } from "../src/registry.js";

// Every participant is its own registry with its own sockets, like separate processes on one host;
// all of them stay on loopback.
testRegistry("mdns", {
  create: () => new MdnsRegistry({ interface: "127.0.0.1", logger: silentLogger }),
  // go-micro's mdns carries node metadata only; watch events are create/delete plus our updates
  capabilities: { serviceMetadata: false, ttlMs: 800 },
  // a new registry's group socket binds asynchronously; let a watcher join before writing
  settle: 200,
});
