// A subscriber in its own process, for the dropped-message tests: an http broker (the built package)
// subscribed to `topic` as a broadcast subscriber, whose handler succeeds or throws (`mode`). It
// prints its registry record once subscribed (the test registers it in the publisher's registry),
// then one line per message its handler ran for.
import { silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { HttpBroker } from "../../dist/index.js";

const [topic = "events", mode = "ok"] = process.argv.slice(2);
const registry = new MemoryRegistry();
const broker = new HttpBroker({ registry, logger: silentLogger });
await broker.connect();
await broker.subscribe(topic, (event) => {
  console.log(JSON.stringify({ event: "got", body: new TextDecoder().decode(event.message.body) }));
  if (mode === "throw") throw new Error("handler failure (expected by the test)");
});
const [service] = await registry.getService("micro.http.broker");
console.log(JSON.stringify({ event: "subscribed", service, pid: process.pid }));
