// Registry records and the Registry interface. Field names follow go-micro's JSON; the TypeScript
// shapes are normalized (no nulls); wire/registry-json.ts reads and writes Go's exact JSON form.

export interface Value {
  name: string;
  type: string;
  values?: Value[];
}

export interface Endpoint {
  name: string;
  request?: Value;
  response?: Value;
  metadata: Record<string, string>;
}

export interface Node {
  id: string;
  /** host:port */
  address: string;
  metadata: Record<string, string>;
}

export interface Service {
  name: string;
  version: string;
  metadata?: Record<string, string>;
  endpoints: Endpoint[];
  nodes: Node[];
}

export type RegistryAction = "create" | "update" | "delete";

export interface RegistryEvent {
  action: RegistryAction;
  service: Service;
}

export interface Watcher extends AsyncIterable<RegistryEvent> {
  /** The next event; rejects once the watcher is stopped. */
  next(): Promise<RegistryEvent>;
  stop(): void;
}

export interface RegisterOptions {
  /** How long the entry lives without re-registration, in ms. 0 or absent: until deregistered. */
  ttl?: number;
}

export interface WatchOptions {
  /** Only events of this service. */
  service?: string;
}

export interface Registry {
  /** The name go-micro puts in node metadata (`registry: <name>`). */
  readonly name: string;
  register(service: Service, options?: RegisterOptions): Promise<void>;
  deregister(service: Service): Promise<void>;
  /** One Service per version, each with all its nodes; empty when the service is unknown. */
  getService(name: string): Promise<Service[]>;
  /** Every service; registries that only know names return services with just `name` set. */
  listServices(): Promise<Service[]>;
  watch(options?: WatchOptions): Watcher;
  /** Releases sockets, leases and timers. */
  close(): Promise<void>;
}
