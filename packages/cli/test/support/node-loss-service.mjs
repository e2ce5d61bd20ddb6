// One node of a service for the node-loss tests, on the default stack (flags and MICRO_* env choose
// the rest): Stock.Get answers after `ms` milliseconds (so calls are in flight when the node is
// killed) with the node's pid. It prints one JSON line once started, with its advertised address.
import "@micro/defaults";
import { createService } from "@micro/core";

const name = process.argv[2] ?? "stock";
const service = createService({
  name,
  afterStart: () =>
    console.log(JSON.stringify({ event: "afterStart", pid: process.pid, id: service.server.id })),
});
service.handle("Stock", {
  async get(_ctx, req) {
    if (req?.ms) await new Promise((r) => setTimeout(r, req.ms));
    return { pid: process.pid };
  },
});
await service.run();
