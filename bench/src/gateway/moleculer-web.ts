// moleculer-web's process in the `moleculer-web` mode: an API gateway broker (`POST /hello` →
// `bench.hello`) that reaches the Moleculer service of the `moleculer` peer (started by server.js in
// another process, address in argv[2]) over the same loopback TCP transporter as that peer's client.
import type { Server } from "node:http";
import { broker, SERVER_NODE } from "../peers/moleculer.js";

const serviceAddress = process.argv[2];
if (!serviceAddress) throw new Error("usage: moleculer-web.js SERVICE_ADDRESS");
const { default: ApiGateway } = await import("moleculer-web");
const b = await broker("bench-gateway", { port: 0, urls: [`${serviceAddress}/${SERVER_NODE}`] });
const api = b.createService({
  name: "api",
  mixins: [ApiGateway],
  settings: {
    ip: "127.0.0.1",
    port: 0,
    // request logging off: ours logs nothing per request either
    logRequest: null,
    logResponse: null,
    routes: [
      {
        path: "/",
        mappingPolicy: "restrict",
        aliases: { "POST /hello": "bench.hello" },
        bodyParsers: { json: true },
      },
    ],
  },
});
await b.start();
await b.waitForServices("bench", 10_000);
const port = ((api as unknown as { server: Server }).server.address() as { port: number }).port;
process.on("SIGTERM", () => void b.stop().then(() => process.exit(0)));
console.log(JSON.stringify({ address: `127.0.0.1:${port}` }));
