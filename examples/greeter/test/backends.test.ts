// The same two processes on other backends, chosen by flags alone: the example imports no backend
// by name, so `--broker=kafka --broker_address=…` (and nats, rabbitmq, `--transport=nats`) must work
// with no code change. Each needs its real server (bash scripts/services/start.sh).
import { describeWithServer } from "@micro/testing/servers";
import { afterEach, expect, it } from "vitest";
import { type Running, runClient, start } from "./processes.js";

const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

/** greeter and the client with the same flags: call, stream, bidi and the event through the backend. */
async function roundTrip(flags: string[]) {
  const greeter = start("greeter.js", flags);
  running.push(greeter);
  await greeter.waitFor(/registered greeter/, 30_000);
  const { code, result, output } = await runClient(flags);
  expect(code, output).toBe(0);
  expect(result.call).toBe("Hello John (via greeter.client)");
  expect(result.stream).toEqual([0, 1, 2, 3, 4]);
  expect(result.bidi).toEqual(["ONE", "TWO", "THREE"]);
  await greeter.waitFor(/event \{"id":"evt-1","text":"hello subscribers"\} topic=greeter.events/, 20_000);
  expect(await greeter.stop()).toBe(0);
}

for (const broker of ["nats", "kafka", "rabbitmq"] as const) {
  describeWithServer(broker, `--broker=${broker}`, (address) => {
    it("carries the example's event from client to greeter", async () => {
      await roundTrip([`--broker=${broker}`, `--broker_address=${address}`]);
    }, 60_000);
  });
}

// Node addresses are then subjects, which mdns cannot announce (nor can Go's): NATS finds them too.
describeWithServer("nats", "--transport=nats", (address) => {
  it("carries the example's calls and streams, found through --registry=nats", async () => {
    await roundTrip([
      "--transport=nats",
      `--transport_address=${address}`,
      "--registry=nats",
      `--registry_address=${address}`,
    ]);
  }, 60_000);

  it("is refused by mdns with a message that says why", async () => {
    const greeter = start("greeter.js", ["--transport=nats", `--transport_address=${address}`]);
    running.push(greeter);
    await greeter.waitFor(
      /missing service port: mdns announces host:port addresses.*--registry=nats/,
      30_000,
    );
  }, 60_000);
});
