// One etcd lease per distinct TTL, shared by every node this process registers with that TTL and
// kept alive by one keep-alive stream. Lease traffic then grows with processes, not with nodes:
// a process with 10,000 nodes sends what a process with one does. Keys and values are go-micro's,
// one key per node; only the lease ID they hang on is shared, which a Go reader never looks at.
// The TTL semantics hold: the keys disappear one TTL after the process (its keep-alive) stops.
import type { Etcd3, Lease } from "etcd3";

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
  readonly #groups = new Map<number, LeaseGroup>();

  constructor(
    private readonly client: Etcd3,
    private readonly onLost: (group: LeaseGroup, err: Error) => void,
  ) {}

  /** The live group for this TTL, granting its lease (asynchronously) when there is none. */
  take(ttl: number): LeaseGroup {
    const cur = this.#groups.get(ttl);
    if (cur) return cur;
    const lease = this.client.lease(ttl, { autoKeepAlive: true });
    const group: LeaseGroup = { ttl, lease, keys: new Set(), confirmed: 0 };
    this.#groups.set(ttl, group);
    lease.on("keepaliveSucceeded", () => {
      group.confirmed = Date.now();
    });
    // the stream broke (etcd gone?): the next re-registration asks etcd instead of trusting it
    lease.on("keepaliveFailed", () => {
      group.confirmed = 0;
    });
    lease.on("lost", (err) => {
      if (this.#groups.get(ttl) !== group) return;
      this.#groups.delete(ttl);
      this.onLost(group, err);
    });
    return group;
  }

  /** Whether this group is still the one new nodes of its TTL go on. */
  current(group: LeaseGroup): boolean {
    return this.#groups.get(group.ttl) === group;
  }

  /** Forget a group whose grant failed, so the next registration asks for a new lease. */
  drop(group: LeaseGroup): void {
    if (this.current(group)) this.#groups.delete(group.ttl);
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
    if (this.current(group)) this.#groups.delete(group.ttl);
    await group.lease.revoke().catch(() => {});
  }

  /** Stops every keep-alive without revoking: the keys expire one TTL later, like a dead process. */
  releaseAll(): void {
    for (const g of this.#groups.values()) g.lease.release();
    this.#groups.clear();
  }

  get size(): number {
    return this.#groups.size;
  }
}
