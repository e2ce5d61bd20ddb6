// Importing this registers go-micro's default stack. @micro/core also imports it on demand when a
// default plugin is asked for and nobody imported one, so `pnpm add @micro/core @micro/defaults` runs.
import "@micro/registry-mdns";
import "@micro/registry-memory";
import "@micro/transport-http";
import "@micro/broker-http";
import "@micro/broker-memory";
import "@micro/codec-json";
import "@micro/codec-proto";
import "@micro/codec-bytes";
import "@micro/selector";

export const DEFAULT_PLUGINS = {
  registry: "mdns",
  transport: "http",
  broker: "http",
  selector: "random",
  codecs: ["application/json", "application/protobuf", "application/octet-stream"],
} as const;
