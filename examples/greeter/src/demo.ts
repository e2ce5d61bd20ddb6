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

console.log("starting the API gateway in a third process, then calling through it over HTTP...");
const gateway = spawn(process.execPath, [join(here, "gateway.js")], {
  env: { ...env, GATEWAY_ADDRESS: "127.0.0.1:0" },
  stdio: ["ignore", "inherit", "pipe"],
});
const url = await new Promise<string>((resolve, reject) => {
  createInterface({ input: gateway.stderr }).on("line", (l) => {
    console.log(`[gateway] ${l}`);
    const m = /listening on (\S+)/.exec(l);
    if (m) resolve(m[1]!);
  });
  gateway.once("exit", () => reject(new Error("gateway exited")));
});
let gatewayOk = true;
try {
  const call = `${url}/api/greeter/Greeter.Hello`;
  const rsp = await fetch(call, { method: "POST", body: JSON.stringify({ name: "HTTP" }) });
  console.log(`[http] POST ${call} -> ${rsp.status} ${await rsp.text()}`);
  if (rsp.status !== 200) gatewayOk = false;
  const bad = await fetch(`${url}/api/greeter/Greeter.Hello`, { method: "POST", body: "{}" });
  console.log(`[http] an error keeps go-micro's shape -> ${bad.status} ${await bad.text()}`);
  const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  console.log(`[http] GET ${url}/openapi.json -> ${Object.keys(doc.paths).length} operations`);
} catch (err) {
  gatewayOk = false;
  console.log(`[http] failed: ${err instanceof Error ? err.message : err}`);
}
gateway.kill("SIGTERM");
await once(gateway, "exit");

greeter.kill("SIGTERM");
await once(greeter, "exit");
const ok = code === 0 && gatewayOk;
console.log(
  ok ? "demo finished" : `demo failed (client exit code ${code}, gateway ${gatewayOk ? "ok" : "failed"})`,
);
process.exit(ok ? 0 : 1);
