// Importing this registers go-micro's default stack (each plugin says itself that it is its kind's
// default) and the package index core consults for plugin names nobody imported yet. @micro/core
// imports it on demand, so `pnpm add @micro/core @micro/defaults` is enough to run.
import "@micro/registry-mdns";
import "@micro/registry-memory";
import "@micro/transport-http";
import "@micro/broker-http";
import "@micro/broker-memory";
import "@micro/codec-json";
import "@micro/codec-proto";
import "@micro/codec-bytes";
import "@micro/selector";
import "./register-index.js";

export { PLUGIN_INDEX } from "./plugin-index.js";
