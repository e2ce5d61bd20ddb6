// One node of the `chaos` service, in its own process: Chaos.Echo answers with the node's label
// (after CHAOS_SLOW_MS when set: the slow node, which ignores the caller's deadline as a stuck
// dependency would). Prints {"event":"ready"} once registered, and every 250 ms the calls inside
// its handler ({"event":"stats"}: now, the most since the last line, served so far), so the runner
// can see a pile-up. SIGTERM stops it as a service stops: deregister, stop listening, drain.
import { setTimeout as sleep } from "node:timers/promises";
import { createService } from "@micro/core";
import { type EchoRequest, SERVICE, stackOptions } from "./stack.js";

const label = process.env.CHAOS_LABEL ?? "node";
const slowMs = Number(process.env.CHAOS_SLOW_MS ?? 0);
const print = (o: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(o)}\n`);
};

let inflight = 0;
let windowMax = 0;
let served = 0;

const service = createService({
  name: SERVICE,
  ...stackOptions(),
  metadata: { label },
  afterStart: () => print({ event: "ready", label, address: service.server.address(), pid: process.pid }),
});

service.handle("Chaos", {
  async echo(_ctx: unknown, req: EchoRequest) {
    inflight++;
    if (inflight > windowMax) windowMax = inflight;
    try {
      if (slowMs > 0) await sleep(slowMs);
      served++;
      return { node: label, seq: req.seq };
    } finally {
      inflight--;
    }
  },
});

setInterval(() => {
  print({ event: "stats", at: Date.now(), inflight, max: windowMax, served });
  windowMax = inflight;
}, 250).unref();

await service.run();
