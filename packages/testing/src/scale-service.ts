// The service registries are measured and tested with at scale (issue 19): 3 endpoints with
// request and response schemas, so a node's record is ~1.3 KB of go-micro JSON like a real
// service's. Listing must not depend on that size; describing one still returns all of it.
import type { Endpoint, Node, Service } from "@micro/core";

const message = (name: string) => ({
  name,
  type: name,
  values: ["id", "name", "tags"].map((field) => ({ name: field, type: "string" })),
});

/** Get, List and Update with their request and response messages. */
export function scaleEndpoints(): Endpoint[] {
  return ["Get", "List", "Update"].map((e) => ({
    name: `Scale.${e}`,
    request: message(`${e}Request`),
    response: message(`${e}Response`),
    metadata: {},
  }));
}

/** A service named `name` with these nodes and the scale endpoints, version 1.0.0. */
export function scaleService(name: string, nodes: Node[]): Service {
  return { name, version: "1.0.0", endpoints: scaleEndpoints(), nodes };
}
