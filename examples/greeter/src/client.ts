// A client in its own process: finds greeter through the registry, calls, streams and publishes.
// `--json` prints one JSON object (for tests); otherwise a readable transcript.
import { createClient, MicroError } from "@micro/core";

const json = process.argv.includes("--json");
const client = createClient({ name: "greeter.client" });
const out: Record<string, unknown> = {};
const say = (k: string, v: unknown) => {
  out[k] = v;
  if (!json) console.log(`${k.padEnd(8)} ${typeof v === "string" ? v : JSON.stringify(v)}`);
};

try {
  const rsp = await client.call<{ name: string }, { msg: string }>(
    "greeter",
    "Greeter.Hello",
    { name: "John" },
    { metadata: { "X-From": "greeter.client" } },
  );
  say("call", rsp.msg);

  const counted: number[] = [];
  for await (const m of client.stream<{ to: number }, { n: number }>("greeter", "Greeter.Count", { to: 5 }))
    counted.push(m.n);
  say("stream", counted);

  const echo = client.stream<{ say: string }, { said: string }>("greeter", "Greeter.Echo");
  const echoed: string[] = [];
  for (const word of ["one", "two", "three"]) {
    await echo.send({ say: word });
    echoed.push((await echo.recv())!.said);
  }
  await echo.close();
  say("bidi", echoed);

  try {
    await client.call("greeter", "Greeter.Hello", {});
  } catch (err) {
    say("error", err instanceof MicroError ? err.toJSON() : String(err));
  }

  await client.publish("greeter.events", { id: "evt-1", text: "hello subscribers" });
  say("publish", "greeter.events");
} finally {
  await client.close();
}
if (json) console.log(JSON.stringify(out));
