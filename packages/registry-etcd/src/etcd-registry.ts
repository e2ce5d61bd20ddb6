// go-micro's etcd registry: one key per node holding the Go JSON of the service with that node
// alone, attached to a lease of the registration TTL. Any go-micro (Go) service on the same etcd
// sees our nodes and we see theirs.
import {
  getLogger,
  type Logger,
  type Node,
  type RegisterOptions,
  type Registry,
  type Service,
  type TLSOptions,
  type Watcher,
  type WatchOptions,
} from "@micro/core";
import { encodeService, mergeByVersion } from "@micro/core/plugin-kit";
import { type Etcd3, EtcdLeaseInvalidError, type Lease } from "etcd3";
import { normalizeAddresses } from "./addresses.js";
import { createClient } from "./client.js";
import { decodeRecord } from "./decode.js";
import { watchEtcd } from "./etcd-watcher.js";
import { KeyedSerial } from "./keyed-serial.js";
import { nodeKey, PREFIX, servicePrefix } from "./keys.js";
import { unavailable } from "./unavailable.js";

export interface EtcdRegistryOptions {
  /** host:port list (default 127.0.0.1:2379; a host without port gets :2379; http:// or https:// allowed). */
  addresses?: string[];
  /** TLS for the etcd connection (https://); ca/cert/key PEMs are used as given. */
  tls?: TLSOptions;
  /** etcd user (default: env ETCD_USERNAME). */
  username?: string;
  /** etcd password (default: env ETCD_PASSWORD). */
  password?: string;
  /** Deadline of each etcd call in ms (default 5000, go-micro's registry timeout). */
  timeout?: number;
  /** Retries of a call that failed because etcd was unreachable, with exponential backoff (default 3). */
  retries?: number;
  /**
   * Keep leases alive from a background stream (default true, as go-micro v5 does), so a node
   * disappears only when this process dies or loses etcd for longer than the TTL. With false, the
   * lease is refreshed only by re-registering (go-micro before the keep-alive loop was added).
   */
  keepAlive?: boolean;
  logger?: Logger;
}

/** What this process wrote for one node, so an unchanged re-registration only refreshes. */
interface NodeRecord {
  key: string;
  value: string;
  ttl: number; // seconds; 0 = no lease
  lease?: Lease;
  lost: boolean;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/** A registration TTL in ms as etcd lease seconds: rounded up, at least 1; 0 = no lease. */
export function leaseSeconds(ttlMs: number | undefined): number {
  return ttlMs && ttlMs > 0 ? Math.max(1, Math.ceil(ttlMs / 1000)) : 0;
}

export class EtcdRegistry implements Registry {
  readonly name = "etcd";
  readonly hosts: readonly string[];
  readonly #client: Etcd3;
  readonly #logger: Logger;
  readonly #keepAlive: boolean;
  readonly #records = new Map<string, NodeRecord>();
  // Operations on one key run one at a time: a deregister racing a re-grant must not resurrect it.
  readonly #serial = new KeyedSerial();
  readonly #watchers = new Set<Watcher>();
  #closed = false;

  constructor(options: EtcdRegistryOptions = {}) {
    this.#logger = options.logger ?? getLogger();
    this.#keepAlive = options.keepAlive ?? true;
    this.hosts = normalizeAddresses(options.addresses, !!options.tls);
    this.#client = createClient({
      hosts: [...this.hosts],
      timeout: options.timeout ?? 5000,
      retries: options.retries ?? 3,
      username: options.username ?? process.env.ETCD_USERNAME,
      password: options.password ?? process.env.ETCD_PASSWORD,
      tls: options.tls,
    });
  }

  /** The underlying etcd3 client (for tests and tools that read raw keys). */
  get client(): Etcd3 {
    return this.#client;
  }

  async register(service: Service, options: RegisterOptions = {}): Promise<void> {
    if (!service.name) throw new TypeError("register: service name is required");
    if (!service.nodes?.length) throw new TypeError("register: service needs at least one node");
    const ttl = leaseSeconds(options.ttl);
    const results = await Promise.allSettled(service.nodes.map((n) => this.#registerNode(service, n, ttl)));
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  #registerNode(service: Service, node: Node, ttl: number): Promise<void> {
    const key = nodeKey(service.name, node.id);
    const value = encodeService({ ...service, nodes: [node] });
    return this.#serial.run(key, async () => {
      const cur = this.#records.get(key);
      if (cur && !cur.lost && cur.value === value && cur.ttl === ttl && (await this.#stillThere(cur))) return;
      await this.#write(key, value, ttl, cur);
    });
  }

  // An unchanged node is only refreshed, as Go does: renew its lease once (which also tells us
  // whether etcd still has it), or for a lease-less key check it survived (e.g. an etcd wipe).
  async #stillThere(rec: NodeRecord): Promise<boolean> {
    try {
      if (rec.lease) {
        await rec.lease.keepaliveOnce();
        return true;
      }
      return await this.#client.get(rec.key).exists();
    } catch (err) {
      if (err instanceof EtcdLeaseInvalidError) return false;
      throw unavailable("register", this.hosts, err);
    }
  }

  async #write(key: string, value: string, ttl: number, prev: NodeRecord | undefined): Promise<void> {
    let lease: Lease | undefined;
    try {
      if (ttl > 0) {
        lease = this.#client.lease(ttl, { autoKeepAlive: this.#keepAlive });
        await lease.put(key).value(value);
      } else {
        await this.#client.put(key).value(value);
      }
    } catch (err) {
      if (lease) void lease.revoke().catch(() => {});
      throw unavailable("register", this.hosts, err);
    }
    const rec: NodeRecord = { key, value, ttl, lease, lost: false };
    this.#records.set(key, rec);
    lease?.on("lost", (err) => this.#onLost(rec, err));
    // the key now hangs on the new lease, so revoking the old one deletes nothing
    if (prev?.lease && prev.lease !== lease) void prev.lease.revoke().catch(() => {});
  }

  // The keep-alive stream lost the lease (etcd restarted without its data, or was away longer
  // than the TTL): put the node back as soon as etcd answers, without waiting for the service's
  // next re-registration.
  #onLost(rec: NodeRecord, err: Error): void {
    if (this.#closed || this.#records.get(rec.key) !== rec) return;
    rec.lost = true;
    this.#logger.warn(`etcd registry: lease of ${rec.key} lost (${err.message}); registering it again`);
    void this.#restore(rec);
  }

  async #restore(rec: NodeRecord): Promise<void> {
    const current = () => !this.#closed && this.#records.get(rec.key) === rec && rec.lost;
    for (let delay = 250; current(); delay = Math.min(delay * 2, 5000)) {
      try {
        await this.#serial.run(rec.key, async () => {
          if (current()) await this.#write(rec.key, rec.value, rec.ttl, rec);
        });
        this.#logger.info(`etcd registry: ${rec.key} registered again`);
        return;
      } catch (err) {
        this.#logger.debug(`etcd registry: re-registering ${rec.key} failed: ${(err as Error).message}`);
        await sleep(delay);
      }
    }
  }

  async deregister(service: Service): Promise<void> {
    await Promise.all(
      (service.nodes ?? []).map((node) => {
        const key = nodeKey(service.name, node.id);
        return this.#serial.run(key, async () => {
          const rec = this.#records.get(key);
          this.#records.delete(key);
          try {
            await this.#client.delete().key(key);
          } catch (err) {
            throw unavailable("deregister", this.hosts, err);
          } finally {
            // the key is gone (or etcd is); the lease has nothing left to keep
            if (rec?.lease) await rec.lease.revoke().catch(() => {});
          }
        });
      }),
    );
  }

  async getService(name: string): Promise<Service[]> {
    const found = (await this.#range(servicePrefix(name), "getService")).filter((s) => s.name === name);
    return mergeByVersion(found);
  }

  async listServices(): Promise<Service[]> {
    const all = await this.#range(PREFIX, "listServices");
    return mergeByVersion(all).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  // Serializable (member-local) reads like Go's WithSerializable: discovery tolerates a
  // slightly stale answer and must keep working when the cluster has lost its quorum.
  async #range(prefix: string, what: string): Promise<Service[]> {
    let kvs: Record<string, string>;
    try {
      kvs = await this.#client.getAll().prefix(prefix).serializable(true).strings();
    } catch (err) {
      throw unavailable(what, this.hosts, err);
    }
    const out: Service[] = [];
    for (const [key, value] of Object.entries(kvs)) {
      const s = decodeRecord(key, value, this.#logger);
      if (s) out.push(s);
    }
    return out;
  }

  watch(options: WatchOptions = {}): Watcher {
    const watcher = watchEtcd({
      client: this.#client,
      hosts: this.hosts,
      logger: this.#logger,
      service: options.service,
      onStop: () => this.#watchers.delete(watcher),
    });
    this.#watchers.add(watcher);
    return watcher;
  }

  /**
   * Stops watches and lease keep-alives and closes the connection. Registered nodes are not
   * deleted (deregister does that): their leases run out after the TTL, like a crashed process.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of [...this.#watchers]) w.stop();
    for (const rec of this.#records.values()) rec.lease?.release();
    this.#records.clear();
    this.#client.close();
  }
}
