// Two separate processes discover each other over mdns (pinned to loopback), then call, stream and
// publish on go-micro's default stack.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const env = {
  ...process.env,
  MICRO_MDNS_INTERFACE: "127.0.0.1",
  MICRO_SERVER_ADDRESS: "127.0.0.1:0",
  MICRO_BROKER_ADDRESS: "127.0.0.1:0",
  MICRO_LOG_LEVEL: "info",
};

let greeter: ChildProcess;
const lines: string[] = [];

function waitFor(pattern: RegExp, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const hit = lines.find((l) => pattern.test(l));
    if (hit) return resolve(hit);
    const t = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; saw:\n${lines.join("\n")}`)),
      ms,
    );
    const check = setInterval(() => {
      const h = lines.find((l) => pattern.test(l));
      if (h) {
        clearTimeout(t);
        clearInterval(check);
        resolve(h);
      }
    }, 20);
  });
}

beforeAll(async () => {
  greeter = spawn(process.execPath, [join(dist, "greeter.js")], { env, stdio: ["ignore", "pipe", "pipe"] });
  createInterface({ input: greeter.stdout! }).on("line", (l) => lines.push(l));
  createInterface({ input: greeter.stderr! }).on("line", (l) => lines.push(l));
  await waitFor(/registered greeter/);
}, 20_000);

afterAll(async () => {
  if (greeter.exitCode === null) {
    greeter.kill("SIGTERM");
    await once(greeter, "exit");
  }
});

describe("greeter and client in two processes over mdns", () => {
  it("discovers, calls, streams, gets a MicroError and publishes", async () => {
    const client = spawn(process.execPath, [join(dist, "client.js"), "--json"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    client.stdout!.on("data", (d) => (out += d));
    client.stderr!.on("data", (d) => (err += d));
    const [code] = await once(client, "exit");
    expect(code, err).toBe(0);
    const result = JSON.parse(out.trim().split("\n").pop()!);
    expect(result.call).toBe("Hello John (via greeter.client)");
    expect(result.stream).toEqual([0, 1, 2, 3, 4]);
    expect(result.bidi).toEqual(["ONE", "TWO", "THREE"]);
    expect(result.error).toEqual({
      id: "greeter",
      code: 400,
      detail: "name is required",
      status: "Bad Request",
    });
    await waitFor(/event \{"id":"evt-1","text":"hello subscribers"\} topic=greeter.events/);
  }, 30_000);

  it("deregisters on SIGTERM and exits cleanly", async () => {
    greeter.kill("SIGTERM");
    const [code] = await once(greeter, "exit");
    expect(code).toBe(0);
    expect(lines.some((l) => /greeter stopped/.test(l))).toBe(true);
  }, 20_000);
});
