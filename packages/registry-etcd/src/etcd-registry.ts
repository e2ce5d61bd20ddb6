// go-micro's etcd registry: one key per node holding the Go JSON of the service with that node
// alone, attached to a lease of the registration TTL (shared by up to 1,000 of this process's
// nodes of that TTL, see lease-groups.ts). Any go-micro (Go) service on the same etcd sees our nodes and we
// see theirs.
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
import { nodeKey, servicePrefix } from "./keys.js";
import { type LeaseGroup, LeaseGroups } from "./lease-groups.js";
import { listNames } from "./list-names.js";
import { type KeyValues, putOnLease, readPrefix, TxnBatcher } from "./txn-batch.js";
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
  /** The shared lease of its TTL (keep-alive on). */
  group?: LeaseGroup;
  /** Its own lease (keep-alive off: each node lives one TTL after its own last registration). */
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
  readonly #groups: LeaseGroups;
  readonly #reads: TxnBatcher<KeyValues>;
  readonly #writes: TxnBatcher<void>;
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
    this.#groups = new LeaseGroups(this.#client, (group, err) => this.#onLost(group, err));
    this.#reads = new TxnBatcher(this.#client);
    this.#writes = new TxnBatcher(this.#client);
  }

  /** Leases this registry holds in etcd now: one per distinct TTL with keep-alive, else one per node. */
  get leaseCount(): number {
    let own = 0;
    for (const rec of this.#records.values()) if (rec.lease) own++;
    return this.#groups.size + own;
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

  // An unchanged node is only refreshed, as Go does: prove its lease is alive (one keep-alive per
  // lease, however many nodes share it), or for a lease-less key check it survived (an etcd wipe).
  async #stillThere(rec: NodeRecord): Promise<boolean> {
    try {
      if (rec.group) {
        if (!this.#groups.live(rec.group)) return false;
        await this.#groups.check(rec.group);
        return this.#groups.live(rec.group);
      }
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
    const rec: NodeRecord = { key, value, ttl, lost: false };
    try {
      if (ttl > 0 && this.#keepAlive) {
        rec.group = this.#groups.take(ttl);
        rec.group.keys.add(key);
        // nodes registered together go out in one transaction (txn-batch.ts)
        await this.#writes.run(putOnLease(key, value, await rec.group.lease.grant()));
      } else if (ttl > 0) {
        rec.lease = this.#client.lease(ttl, { autoKeepAlive: false });
        await rec.lease.put(key).value(value);
      } else {
        await this.#client.put(key).value(value);
      }
    } catch (err) {
      if (rec.group && rec.group !== prev?.group) {
        // a failed grant has lost the lease: the next registration asks for a new one
        if (rec.group.lease.revoked()) this.#groups.drop(rec.group);
        void this.#groups.leave(rec.group, key);
      }
      if (rec.lease) void rec.lease.revoke().catch(() => {});
      throw unavailable("register", this.hosts, err);
    }
    this.#records.set(key, rec);
    rec.lease?.on("lost", (err) => this.#onLostOwn(rec, err));
    // the key now hangs on the new lease, so leaving the old one deletes nothing
    if (prev?.group && prev.group !== rec.group) void this.#groups.leave(prev.group, key);
    if (prev?.lease && prev.lease !== rec.lease) void prev.lease.revoke().catch(() => {});
  }

  // A shared lease was lost (etcd restarted without its data, or was away longer than the TTL):
  // every node on it is gone from etcd, so put them all back on a new lease as soon as etcd
  // answers, without waiting for the service's next re-registration.
  #onLost(group: LeaseGroup, err: Error): void {
    if (this.#closed) return;
    const lost: NodeRecord[] = [];
    for (const key of group.keys) {
      const rec = this.#records.get(key);
      if (rec?.group === group) lost.push(rec);
    }
    if (!lost.length) return;
    this.#logger.warn(
      `etcd registry: lease of ${lost.length} node(s) with TTL ${group.ttl}s lost (${err.message}); registering them again`,
    );
    for (const rec of lost) {
      rec.lost = true;
      void this.#restore(rec);
    }
  }

  // The same for a node on its own lease (keep-alive off: the lease is lost when etcd says so).
  #onLostOwn(rec: NodeRecord, err: Error): void {
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
        this.#logger.debug(`etcd registry: ${rec.key} registered again`);
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
            // the key is gone (or etcd is); its own lease has nothing left to keep, a shared one
            // is revoked with its last key
            if (rec?.lease) await rec.lease.revoke().catch(() => {});
            if (rec?.group) await this.#groups.leave(rec.group, key);
          }
        });
      }),
    );
  }

  async getService(name: string): Promise<Service[]> {
    let kvs: KeyValues;
    try {
      // serializable (member-local) reads like Go's WithSerializable: discovery tolerates a
      // slightly stale answer and must keep working when the cluster has lost its quorum
      kvs = await this.#reads.run(readPrefix(servicePrefix(name)));
    } catch (err) {
      throw unavailable("getService", this.hosts, err);
    }
    const found: Service[] = [];
    for (const [key, value] of kvs) {
      const s = decodeRecord(key, value, this.#logger);
      if (s?.name === name) found.push(s);
    }
    return mergeByVersion(found, { copy: false }); // just decoded: nobody else holds them
  }

  /**
   * The registered service names, sorted, each as `{ name, version: "", endpoints: [], nodes: [] }`
   * (like the consul registry): read from the keys alone, in pages, so the answer stays small at
   * any number of services. `getService(name)` describes one. A name that had a `/` is listed as
   * its key has it, with `-`.
   */
  async listServices(): Promise<Service[]> {
    let names: string[];
    try {
      names = await listNames(this.#client);
    } catch (err) {
      throw unavailable("listServices", this.hosts, err);
    }
    return names.map((name) => ({ name, version: "", endpoints: [], nodes: [] }));
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
    this.#groups.releaseAll();
    this.#records.clear();
    this.#client.close();
  }
}
