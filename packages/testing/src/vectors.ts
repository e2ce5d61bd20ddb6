// The greeter a Go server (go-micro v5.30.0) registers, as every registry's wire tests use it: its
// record, and the registry JSON Go writes for it (https://github.com/micro/go-micro/blob/v5.30.0/registry/registry.go,
// encoding/json: nil maps and slices as null). etcd stores that JSON under its key, NATS sends it in
// its envelopes, Kubernetes keeps it in a pod annotation; mDNS and Consul take parts of it.
import type { Service } from "@micro/core";

export const GO_GREETER_NODE_ID = "greeter-6f1c2b0e-1d2a-4c4e-9a53-3f0d2b1c9e11";

/** The metadata go-micro gives a node (its broker, protocol, registry, server, transport). */
export const GO_GREETER_METADATA: Readonly<Record<string, string>> = Object.freeze({
  broker: "http",
  protocol: "mucp",
  registry: "mdns",
  server: "mucp",
  transport: "http",
});

/** The greeter's record, a fresh copy each call (tests change theirs). */
export function goGreeter(): Service {
  return {
    name: "greeter",
    version: "latest",
    endpoints: [
      {
        name: "Greeter.Hello",
        request: { name: "Request", type: "Request", values: [{ name: "name", type: "string" }] },
        response: { name: "Response", type: "Response", values: [{ name: "msg", type: "string" }] },
        metadata: {},
      },
    ],
    nodes: [{ id: GO_GREETER_NODE_ID, address: "10.0.0.5:43521", metadata: { ...GO_GREETER_METADATA } }],
  };
}

/** Go's JSON of the greeter's one endpoint, Greeter.Hello. */
export const GO_GREETER_ENDPOINT_JSON =
  '{"request":{"name":"Request","type":"Request","values":[{"name":"name","type":"string","values":null}]},"response":{"name":"Response","type":"Response","values":[{"name":"msg","type":"string","values":null}]},"metadata":{},"name":"Greeter.Hello"}';

/** Go's registry JSON of the greeter: what a Go service writes and reads, byte for byte. */
export const GO_GREETER_JSON =
  '{"name":"greeter","version":"latest","metadata":null,"endpoints":[{"request":{"name":"Request","type":"Request","values":[{"name":"name","type":"string","values":null}]},"response":{"name":"Response","type":"Response","values":[{"name":"msg","type":"string","values":null}]},"metadata":{},"name":"Greeter.Hello"}],"nodes":[{"metadata":{"broker":"http","protocol":"mucp","registry":"mdns","server":"mucp","transport":"http"},"id":"greeter-6f1c2b0e-1d2a-4c4e-9a53-3f0d2b1c9e11","address":"10.0.0.5:43521"}]}';
