// getService reads one key prefix. Lookups made in the same turn (`micro services` describing a
// names-only listing 64 at a time, a dashboard, a gateway warming up) share one etcd transaction
// of up to 128 range reads instead of one round trip each: at 10,000 services the per-call cost of
// gRPC, not etcd, was what made describing them all take seconds. A lone lookup is a plain range,
// as before. The reads stay serializable (member-local), so etcd answers a read-only transaction
// without consensus, like the single reads.
import type { Etcd3 } from "etcd3";
import { prefixEnd } from "./keys.js";
import { isTooLarge } from "./unavailable.js";

/** etcd's default `--max-txn-ops`: a server configured lower makes the batches smaller. */
export const MAX_READS_PER_TXN = 128;

export type KeyValues = [key: string, value: Buffer][];

interface Pending {
  prefix: string;
  resolve(kvs: KeyValues): void;
  reject(err: unknown): void;
}

const tooManyOps = (err: unknown) => /too many operations in txn/i.test(String((err as Error)?.message));

const rangeOf = (prefix: string) => {
  const key = Buffer.from(prefix);
  return { key, range_end: prefixEnd(key), serializable: true };
};

const pairs = (kvs: readonly { key: Buffer; value: Buffer }[]): KeyValues =>
  kvs.map((kv) => [kv.key.toString(), kv.value]);

export class RangeBatcher {
  readonly #client: Etcd3;
  #pending: Pending[] = [];
  #scheduled = false;
  #maxReads = MAX_READS_PER_TXN;

  constructor(client: Etcd3) {
    this.#client = client;
  }

  /** Every key and value under `prefix`. */
  read(prefix: string): Promise<KeyValues> {
    return new Promise<KeyValues>((resolve, reject) => {
      this.#pending.push({ prefix, resolve, reject });
      if (this.#pending.length >= this.#maxReads) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => {
          this.#scheduled = false;
          this.#flush();
        });
      }
    });
  }

  #flush(): void {
    const batch = this.#pending.splice(0);
    for (let i = 0; i < batch.length; i += this.#maxReads) void this.#run(batch.slice(i, i + this.#maxReads));
  }

  async #run(batch: Pending[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      if (batch.length === 1) {
        const res = await this.#client.kv.range(rangeOf(batch[0]!.prefix));
        batch[0]!.resolve(pairs(res.kvs));
        return;
      }
      const res = await this.#client.kv.txn({
        compare: [],
        success: batch.map((p) => ({ request_range: rangeOf(p.prefix) })),
        failure: [],
      });
      for (const [i, p] of batch.entries()) p.resolve(pairs(res.responses[i]?.response_range?.kvs ?? []));
    } catch (err) {
      // too big an answer together, or a server allowing fewer operations: halves, down to one read
      // each, whose own error (a single service over the limit) is the caller's answer
      if (batch.length > 1 && (isTooLarge(err) || tooManyOps(err))) {
        if (tooManyOps(err)) this.#maxReads = Math.max(1, Math.floor(batch.length / 2));
        const half = Math.ceil(batch.length / 2);
        await Promise.all([this.#run(batch.slice(0, half)), this.#run(batch.slice(half))]);
        return;
      }
      for (const p of batch) p.reject(err);
    }
  }
}
