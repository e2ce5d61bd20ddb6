// The registering process: registers N services (2 nodes each) with a TTL, re-registers them every
// interval as N go-micro services would, and reports the memory its registrations cost. It prints
// one JSON line when registered, then keeps going until its stdin closes, then deregisters all.
// Run with --expose-gc so the memory figures are after a collection.
import { silentLogger } from "@micro/core";
import { loadRegistry, scaleService } from "./shape.js";

const arg = (name: string, dflt: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;

const n = Number(arg("n", "10"));
const ttl = Number(arg("ttl", "6000"));
const interval = Number(arg("interval", "3000"));
const address = arg("address", "127.0.0.1:2379");
const Registry = await loadRegistry(arg("module", ""));

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const services = Array.from({ length: n }, (_, i) => scaleService(i));
gc();
const before = { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss };
const registry = new Registry({ addresses: [address], logger: silentLogger });
const started = Date.now();
// a few hundred at a time, as many service processes starting would; a registration that fails
// (etcd's 5 s deadline on a loaded machine) is tried again, as a service does at its next interval
for (let i = 0; i < n; i += 200) {
  const batch = services.slice(i, i + 200);
  for (let attempt = 1; ; attempt++) {
    const failed = (await Promise.allSettled(batch.map((s) => registry.register(s, { ttl })))).filter(
      (r) => r.status === "rejected",
    );
    if (!failed.length) break;
    if (attempt === 5) throw (failed[0] as PromiseRejectedResult).reason;
  }
}
const registerMs = Date.now() - started;
gc();
const mem = process.memoryUsage();
const nodes = n * 2;
console.log(
  JSON.stringify({
    nodes,
    registerMs,
    heapPerNode: (mem.heapUsed - before.heap) / nodes,
    rssPerNode: (mem.rss - before.rss) / nodes,
  }),
);

let stopping = false;
const again = setInterval(() => {
  for (const s of services) void registry.register(s, { ttl }).catch(() => {});
}, interval);
process.stdin.resume();
process.stdin.on("end", async () => {
  if (stopping) return;
  stopping = true;
  clearInterval(again);
  for (let i = 0; i < n; i += 500)
    await Promise.all(services.slice(i, i + 500).map((s) => registry.deregister(s).catch(() => {})));
  await registry.close();
  process.exit(0);
});
