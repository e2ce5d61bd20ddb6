// The shared greeter.proto, loaded for the TypeScript side of the harness.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadProto } from "@micro/codec-proto";

const protoFile = join(dirname(fileURLToPath(import.meta.url)), "..", "proto", "greeter.proto");

export async function greeterTypes() {
  const t = await loadProto(protoFile);
  return {
    Request: t.type("greeter.Request"),
    Response: t.type("greeter.Response"),
    StreamRequest: t.type("greeter.StreamRequest"),
    StreamResponse: t.type("greeter.StreamResponse"),
    Ping: t.type("greeter.Ping"),
    Pong: t.type("greeter.Pong"),
    Event: t.type("greeter.Event"),
  };
}
export type GreeterTypes = Awaited<ReturnType<typeof greeterTypes>>;
