// The registry the issue measured: N services, each 2 nodes and 3 endpoints with request and
// response schemas, so one node's record is ~1.3 KB of go-micro JSON like a real service's.
// The registry is loaded by path (`--module`), so the same script measures an older build too.

export interface Node {
  id: string;
  address: string;
  metadata: Record<string, string>;
}
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
  nodes: Node[];
}
export interface ScaleRegistry {
  register(s: Service, o?: { ttl?: number }): Promise<void>;
  deregister(s: Service): Promise<void>;
  getService(name: string): Promise<Service[]>;
  listServices(): Promise<Service[]>;
  close(): Promise<void>;
}
export type RegistryCtor = new (o: { addresses: string[]; logger?: unknown }) => ScaleRegistry;

const field = (name: string, type: string): Value => ({ name, type });
const message = (name: string): Value => ({
  name,
  type: name,
  values: [
    field("id", "string"),
    field("name", "string"),
    field("count", "int64"),
    field("tags", "[]string"),
  ],
});

export function scaleService(i: number, registry = "etcd"): Service {
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

export async function loadRegistry(module: string): Promise<RegistryCtor> {
  const mod = (await import(module)) as { EtcdRegistry: RegistryCtor };
  return mod.EtcdRegistry;
}
