import { testRegistry } from "@micro/testing/registry";
import { describeWithServer } from "@micro/testing/servers";
import { registry } from "./helpers.js";

describeWithServer("etcd", "etcd registry", () => {
  // Leases refreshed only by re-registration: the suite's TTL test (a node that stops
  // re-registering expires) applies as written. etcd's minimum lease is 2 s, so use that TTL.
  testRegistry("etcd (refresh by re-registration)", {
    create: () => registry({ keepAlive: false }),
    capabilities: { ttlMs: 2000 },
    settle: 200,
  });

  // The default: leases kept alive by a stream, so a live process never expires; expiry after
  // the process stops is covered in ttl.test.ts.
  testRegistry("etcd (keep-alive)", {
    create: () => registry(),
    capabilities: { ttl: false, scale: 3000 },
    settle: 200,
  });
});
