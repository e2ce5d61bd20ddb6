// The same service shape as ../registry-scale/shape.ts (2 nodes, 3 endpoints with schemas, ~1.3 KB a
// node record), for the NATS, Consul and Kubernetes registries. Registries are loaded by path
// (`--module`, relative to the repository root), so the same script measures an older build too.

export interface Value {
  name: string;
  type: string;
  values?: Value[];
}
export interface Service {
  name: string;
  version: string;
  metadata?: Record<string, string>;
  endpoints: { name: string; request?: Value; response?: Value; metadata: Record<string, string> }[];
  nodes: { id: string; address: string; metadata: Record<string, string> }[];
}
export interface ScaleRegistry {
  register(s: Service, o?: { ttl?: number }): Promise<void>;
  deregister(s: Service): Promise<void>;
  getService(name: string): Promise<Service[]>;
  listServices(): Promise<Service[]>;
  close(): Promise<void>;
}

const message = (name: string): Value => ({
  name,
  type: name,
  values: [
    { name: "id", type: "string" },
    { name: "name", type: "string" },
    { name: "count", type: "int64" },
    { name: "tags", type: "[]string" },
  ],
});

export function scaleService(i: number, registry: string): Service {
  const name = `scale-svc-${String(i).padStart(5, "0")}`;
  return {
    name,
    version: "1.0.0",
    metadata: {},
    endpoints: ["Get", "List", "Update"].map((e) => ({
      name: `Scale.${e}`,
      request: message(`${e}Request`),
      response: message(`${e}Response`),
      metadata: {},
    })),
    nodes: [0, 1].map((n) => ({
      id: `${name}-${n}-0123456789abcdef`,
      address: `127.0.0.1:${20000 + ((i * 2 + n) % 40000)}`,
      metadata: { protocol: "mucp", registry, server: "mucp", transport: "http" },
    })),
  };
}

export const arg = (name: string, dflt: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;

export const defaultModule: Record<string, string> = {
  nats: "packages/registry-nats/dist/index.js",
  consul: "packages/registry-consul/dist/index.js",
  k8s: "packages/registry-k8s/dist/index.js",
};

/** Runs `f` over `items`, `limit` at a time. */
export async function eachLimit<T>(items: T[], limit: number, f: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await f(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
