// The shared registry suite against the stand-in API server; every participant is its own pod.
import { testRegistry } from "@micro/testing/registry";
import { afterAll, beforeAll } from "vitest";
import { FakeApiServer } from "./fake-apiserver.js";
import { registryFor } from "./helpers.js";

let api: FakeApiServer;
let pods = 0;
beforeAll(async () => {
  api = await new FakeApiServer().start();
});
afterAll(() => api.stop());

testRegistry("kubernetes (stand-in API server)", {
  create: () => {
    const pod = `conformance-${++pods}`;
    api.addPod("default", pod);
    return registryFor(api, { podName: pod });
  },
  // pods have no TTL: the pod's lifecycle removes its records
  capabilities: { ttl: false },
  // a watch lists first, then opens its stream
  settle: 300,
});
