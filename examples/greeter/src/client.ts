// A client in its own process: finds greeter through the registry, calls, streams and publishes.
// `--json` prints one JSON object (for tests); otherwise a readable transcript.
import { createClient, MicroError } from "@micro/core";
import { GreeterClient, messageTypes } from "./gen/greeter.micro.js";

const json = process.argv.includes("--json");
const client = createClient({ name: "greeter.client" });
const greeter = new GreeterClient(client); // service "greeter", from the proto package
const out: Record<string, unknown> = {};
const say = (k: string, v: unknown) => {
  out[k] = v;
  if (!json) console.log(`${k.padEnd(8)} ${typeof v === "string" ? v : JSON.stringify(v)}`);
};

try {
  const rsp = await greeter.hello({ name: "John" }, { metadata: { "X-From": "greeter.client" } });
  say("call", rsp.msg);

  const counted: number[] = [];
  for await (const m of greeter.count({ to: 5 })) counted.push(m.n ?? 0);
  say("stream", counted);

  const echo = greeter.echo();
  const echoed: string[] = [];
  for (const word of ["one", "two", "three"]) {
    await echo.send({ say: word });
    echoed.push((await echo.recv())?.said ?? "");
  }
  await echo.close();
  say("bidi", echoed);

  try {
    await greeter.hello({});
  } catch (err) {
    say("error", err instanceof MicroError ? err.toJSON() : String(err));
  }

  await client.publish(
    "greeter.events",
    { id: "evt-1", text: "hello subscribers" },
    { messageType: messageTypes.Event },
  );
  say("publish", "greeter.events");
} finally {
  await client.close();
}
if (json) console.log(JSON.stringify(out));
