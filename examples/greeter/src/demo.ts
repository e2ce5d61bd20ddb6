// The demo: the greeter and a client as two separate processes that find each other over mdns.
// mdns and every listener are kept on loopback so the demo sends nothing to the network.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const env = {
  ...process.env,
  MICRO_MDNS_INTERFACE: process.env.MICRO_MDNS_INTERFACE ?? "127.0.0.1",
  MICRO_SERVER_ADDRESS: process.env.MICRO_SERVER_ADDRESS ?? "127.0.0.1:0",
  MICRO_BROKER_ADDRESS: process.env.MICRO_BROKER_ADDRESS ?? "127.0.0.1:0",
};

function prefixed(name: string, stream: NodeJS.ReadableStream) {
  createInterface({ input: stream }).on("line", (l) => console.log(`[${name}] ${l}`));
}

console.log("starting greeter (mdns registry, http transport, http broker)...");
const greeter = spawn(process.execPath, [join(here, "greeter.js")], {
  env,
  stdio: ["ignore", "pipe", "pipe"],
});
prefixed("greeter", greeter.stdout);
const ready = new Promise<void>((resolve) => {
  createInterface({ input: greeter.stderr }).on("line", (l) => {
    console.log(`[greeter] ${l}`);
    if (l.includes("registered greeter")) resolve();
  });
});
await Promise.race([ready, once(greeter, "exit").then(() => Promise.reject(new Error("greeter exited")))]);

console.log("running the client in a second process...");
const client = spawn(process.execPath, [join(here, "client.js")], {
  env,
  stdio: ["ignore", "pipe", "inherit"],
});
prefixed("client", client.stdout);
const [code] = await once(client, "exit");

await new Promise((r) => setTimeout(r, 300)); // let the event reach the greeter's log
greeter.kill("SIGTERM");
await once(greeter, "exit");
console.log(code === 0 ? "demo finished" : `client failed with exit code ${code}`);
process.exit(code ?? 1);
