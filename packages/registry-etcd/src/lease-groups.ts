// Etcd leases shared by the nodes this process registers with the same TTL: one lease per distinct
// TTL and per 1,000 nodes, each kept alive by its keep-alive stream. Lease traffic then grows with
// processes, not with nodes: a process with 1,000 nodes sends what a process with one does, and
// one with 20,000 what 20 processes do (against 20,000 leases, one per node, before). Keys and
// values are go-micro's, one key per node; only the lease ID they hang on is shared, which a Go
// reader never looks at. The TTL semantics hold: the keys disappear one TTL after the process (its
// keep-alive) stops.
import type { Etcd3, Lease } from "etcd3";

/**
 * Nodes per lease. etcd 3.4 makes every put on a lease slower by the number of keys already on
 * it: 20,000 puts on one lease took 40 s (the last 4,000 alone 18 s), on 20 leases of 1,000 keys
 * 3.6 s, as fast as puts with no lease (4.4 s).
 */
export const KEYS_PER_LEASE = 1000;

export interface LeaseGroup {
  readonly ttl: number;
  readonly lease: Lease;
  /** Keys written on this lease and not deregistered. */
  readonly keys: Set<string>;
  /** When etcd last confirmed the lease (grant or keep-alive), ms since the epoch. */
  confirmed: number;
  /** A keep-alive in flight, so concurrent re-registrations share one check. */
  checking?: Promise<void>;
}

export class LeaseGroups {
  /** Live groups by TTL. */
  readonly #live = new Map<number, Set<LeaseGroup>>();
  /** The group new nodes of a TTL go on until it holds KEYS_PER_LEASE. */
  readonly #filling = new Map<number, LeaseGroup>();

  constructor(
    private readonly client: Etcd3,
    private readonly onLost: (group: LeaseGroup, err: Error) => void,
    private readonly keysPerLease = KEYS_PER_LEASE,
  ) {}

  /** A live group for this TTL with room, granting a new lease (asynchronously) when there is none. */
  take(ttl: number): LeaseGroup {
    const cur = this.#filling.get(ttl);
    if (cur && cur.keys.size < this.keysPerLease) return cur;
    const lease = this.client.lease(ttl, { autoKeepAlive: true });
    const group: LeaseGroup = { ttl, lease, keys: new Set(), confirmed: 0 };
    const live = this.#live.get(ttl) ?? new Set<LeaseGroup>();
    this.#live.set(ttl, live);
    live.add(group);
    this.#filling.set(ttl, group);
    lease.on("keepaliveSucceeded", () => {
      group.confirmed = Date.now();
    });
    // the stream broke (etcd gone?): the next re-registration asks etcd instead of trusting it
    lease.on("keepaliveFailed", () => {
      group.confirmed = 0;
    });
    lease.on("lost", (err) => {
      if (!this.live(group)) return;
      this.#forget(group);
      this.onLost(group, err);
    });
    return group;
  }

  /** Whether the group's lease is still held (not lost, dropped or revoked). */
  live(group: LeaseGroup): boolean {
    return this.#live.get(group.ttl)?.has(group) ?? false;
  }

  #forget(group: LeaseGroup): void {
    const live = this.#live.get(group.ttl);
    live?.delete(group);
    if (live?.size === 0) this.#live.delete(group.ttl);
    if (this.#filling.get(group.ttl) === group) this.#filling.delete(group.ttl);
  }

  /** Forget a group whose grant failed, so the next registration asks for a new lease. */
  drop(group: LeaseGroup): void {
    this.#forget(group);
    group.lease.release();
  }

  /**
   * Proves the lease is still alive, at most one keep-alive per third of its TTL however many
   * nodes re-register (an unchanged re-registration must notice an etcd that lost the lease).
   */
  async check(group: LeaseGroup): Promise<void> {
    if (Date.now() - group.confirmed < (group.ttl * 1000) / 3) return;
    group.checking ??= group.lease
      .keepaliveOnce()
      .then(() => {
        group.confirmed = Date.now();
      })
      .finally(() => {
        group.checking = undefined;
      });
    await group.checking;
  }

  /** A key left its group: the last key out revokes the lease, so no idle lease stays behind. */
  async leave(group: LeaseGroup, key: string): Promise<void> {
    group.keys.delete(key);
    if (group.keys.size > 0) return;
    this.#forget(group);
    await group.lease.revoke().catch(() => {});
  }

  /** Stops every keep-alive without revoking: the keys expire one TTL later, like a dead process. */
  releaseAll(): void {
    for (const live of this.#live.values()) for (const g of live) g.lease.release();
    this.#live.clear();
    this.#filling.clear();
  }

  get size(): number {
    let n = 0;
    for (const live of this.#live.values()) n += live.size;
    return n;
  }
}
