// A service for the workers tests, on the default stack (flags and MICRO_* env choose the rest):
// `--server_workers` / MICRO_SERVER_WORKERS set how many processes serve it. Every process prints
// JSON lines with its pid: each call it serves, each event it handles, and its lifecycle hooks.
import "@micro/defaults";
import { createService } from "@micro/core";

const name = process.argv[2] ?? "workers";
const topic = `${name}.events`;
const print = (event, fields = {}) =>
  console.log(JSON.stringify({ event, pid: process.pid, worker: service.worker ?? 0, ...fields }));
const hook = (event) => () => print(event);

const service = createService({
  name,
  beforeStart: hook("beforeStart"),
  afterStart: hook("afterStart"),
  beforeStop: hook("beforeStop"),
  afterStop: hook("afterStop"),
});
service.handle("Pid", {
  async get() {
    print("call");
    return { pid: process.pid };
  },
  async slow(_ctx, req) {
    print("slow", { ms: req.ms });
    await new Promise((r) => setTimeout(r, req.ms));
    return { pid: process.pid };
  },
  async publish(_ctx, req) {
    await service.client.publish(topic, { id: req.id, from: process.pid });
    return { pid: process.pid };
  },
});
// broadcast: without a queue every subscribing process would get its own copy
service.subscribe(topic, async (_ctx, msg) => print("handled", { id: msg.id, from: msg.from }));
await service.run();
