// The TypeScript peer of the interop harness, the twin of interop/cmd/peer:
//   peer.js server  --name greeter.ts [--version v] [--fail408] [--numbers]
//   peer.js call    --service greeter.go --endpoint Greeter.Hello --body '{"name":"John"}' [--content-type ct] [--metadata K=V]...
//   peer.js stream  --mode server|bidi --service greeter.go [--count 3] [--server-closes] [--close-send [--no-echo]]
//   peer.js publish --topic events.go --body '{"id":"1","message":"hi"}'
//   peer.js numbers --service greeter.go --body '{"ints":[9007199254740993]}'   (Numbers.Echo twice)
//   peer.js services | get --service greeter.go
// go-micro flags and MICRO_* env (--registry, --broker, ...) work in every mode. stdout: JSON lines.
import "@micro/defaults";
import { runClient } from "./client.js";
import { greeterTypes } from "./greeter-types.js";
import { runRegistry } from "./registry.js";
import { runServer } from "./server.js";

const [mode, ...argv] = process.argv.slice(2);
const types = await greeterTypes();
switch (mode) {
  case "server":
    await runServer(argv, types);
    break;
  case "call":
  case "stream":
  case "publish":
  case "numbers":
    await runClient(mode, argv, types);
    break;
  case "services":
  case "get":
    await runRegistry(mode, argv);
    break;
  default:
    console.error("usage: peer.js server|call|stream|publish|numbers|services|get [flags]");
    process.exit(2);
}
