// One call to `address` (Hello.Call) by a client on the default stack whose TLS settings come from
// the flags and MICRO_* env it is given, so NODE_EXTRA_CA_CERTS (read at process start) can stand
// for the system's CA store. Prints {ok, rsp} or {ok: false, error} as one JSON line.
import "@micro/defaults";
import { createClient } from "@micro/core";

const [address, ...argv] = process.argv.slice(2);
const client = createClient({ registry: "memory", broker: "memory", argv, logLevel: "error" });
try {
  const rsp = await client.call("tls", "Hello.Call", { name: "tls" }, { address, retries: 0 });
  console.log(JSON.stringify({ ok: true, rsp }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: String(err?.message ?? err) }));
}
await client.close();
