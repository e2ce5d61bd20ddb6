// An idle service on go-micro's default stack (mdns registry, http transport, http broker, selector)
// for the exit test. With "warm" it first calls itself and receives its own publication, so a pooled
// connection, the selector's registry watch and the broker's sender exist when it is stopped.
// Prints "ready" once serving; after run() returns it reports how it ended: "fallback" if run()'s
// process.exit safety net had to end it, else "exit <ms>" (ms from run() returning to the exit).
import { writeSync } from "node:fs";
import "@micro/defaults";
import { createService, silentLogger } from "@micro/core";

const warm = process.argv[2] === "warm";
const name = `idle-exit-${process.pid}`;
let received = () => {};
const event = new Promise((resolve) => (received = resolve));

const service = createService({
  name,
  logger: silentLogger,
  afterStart: async () => {
    if (warm) {
      await service.client.call(name, "Idle.Ping", {});
      await service.client.publish(`${name}.events`, { n: 1 });
      await event;
    }
    writeSync(1, "ready\n");
  },
});
service.handle("Idle", {
  async ping() {
    return { ok: true };
  },
});
service.subscribe(`${name}.events`, async () => received());
service.subscribe(`${name}.queued`, async () => {}, { queue: "workers" });

const exit = process.exit;
process.exit = (code) => {
  writeSync(1, "fallback\n");
  return exit(code);
};

await service.run();
const returned = performance.now();
process.on("exit", () => writeSync(1, `exit ${Math.round(performance.now() - returned)}\n`));
