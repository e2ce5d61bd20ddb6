// A one-endpoint service for CLI tests, on the default stack (mdns on loopback): prints "ready".
import "@micro/defaults";
import { createService } from "@micro/core";

const name = process.argv[2] ?? "hello";
const svc = createService({ name, address: "127.0.0.1:0", logLevel: "error" });
svc.handle("Hello", {
  async call(_ctx, req) {
    return { msg: `Hello ${req.name}` };
  },
  async *count(_ctx, req) {
    for (let i = 0; i < req.to; i++) yield { n: i };
  },
});
await svc.start();
console.log("ready");
process.on("SIGTERM", () => void svc.stop().then(() => process.exit(0)));
