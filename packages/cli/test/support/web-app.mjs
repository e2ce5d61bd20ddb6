// A web app for `micro web` tests: a plain HTTP server registered (mdns on loopback) as
// go.micro.web.{name}, answering every request with the path and base path it saw. Prints "ready".
import "@micro/defaults";
import { once } from "node:events";
import { createServer } from "node:http";
import { createService } from "@micro/core";

const name = process.argv[2] ?? "webapp";
const server = createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ url: req.url, base: req.headers["x-micro-web-base-path"] ?? null }));
});
server.listen(0, "127.0.0.1");
await once(server, "listening");
const svc = createService({ name: `${name}.registrar`, logLevel: "error" });
const { registry } = await svc.stack();
const record = {
  name: `go.micro.web.${name}`,
  version: "latest",
  metadata: {},
  endpoints: [],
  nodes: [{ id: `${name}-1`, address: `127.0.0.1:${server.address().port}`, metadata: {} }],
};
await registry.register(record);
console.log("ready");
process.on("SIGTERM", async () => {
  await registry.deregister(record).catch(() => {});
  process.exit(0);
});
