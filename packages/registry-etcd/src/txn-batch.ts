// Many small etcd requests made in the same turn share one transaction: getService lookups
// (`micro services` describing a names-only listing 256 at a time, a dashboard, a gateway warming
// up) and node writes (a process registering thousands of services). At 10,000 services the cost
// was gRPC's per call, not etcd's: one transaction of 128 reads or writes instead of 128 calls made
// describing them all 2× faster and registering them 5× faster, with half the memory churn. A lone
// request is sent alone, as before. Reads and writes batch separately: a read-only transaction of
// serializable reads is answered by the member without consensus, like a single serializable read.
import type { Etcd3, IRequestOp, IResponseOp } from "etcd3";
import { EtcdLeaseInvalidError } from "etcd3";
import { prefixEnd } from "./keys.js";
import { isTooLarge } from "./unavailable.js";

/** etcd's default `--max-txn-ops`: a server configured lower makes the batches smaller. */
export const MAX_OPS_PER_TXN = 128;

/** One request: how to send it alone, its part of a transaction, and its answer from there. */
export interface BatchOp<T> {
  alone(client: Etcd3): Promise<T>;
  request: IRequestOp;
  result(res: IResponseOp | undefined): T;
}

export type KeyValues = [key: string, value: Buffer][];

const pairs = (kvs: readonly { key: Buffer; value: Buffer }[] = []): KeyValues =>
  kvs.map((kv) => [kv.key.toString(), kv.value]);

/** Every key and value under `prefix`, serializable (member-local, like Go's WithSerializable). */
export function readPrefix(prefix: string): BatchOp<KeyValues> {
  const key = Buffer.from(prefix);
  const range = { key, range_end: prefixEnd(key), serializable: true };
  return {
    alone: async (client) => pairs((await client.kv.range(range)).kvs),
    request: { request_range: range },
    result: (res) => pairs(res?.response_range?.kvs),
  };
}

/** Writes `key` on `lease`. */
export function putOnLease(key: string, value: string, lease: string): BatchOp<void> {
  const put = { key: Buffer.from(key), value: Buffer.from(value), lease };
  return {
    alone: async (client) => {
      await client.kv.put(put);
    },
    request: { request_put: put },
    result: () => {},
  };
}

const tooManyOps = (err: unknown) => /too many operations in txn/i.test(String((err as Error)?.message));
const requestTooLarge = (err: unknown) => /request is too large/i.test(String((err as Error)?.message));

// Errors that belong to some of a transaction's requests, not to all: the halves find whose.
const splittable = (err: unknown) =>
  isTooLarge(err) || requestTooLarge(err) || tooManyOps(err) || err instanceof EtcdLeaseInvalidError;

interface Pending<T> {
  op: BatchOp<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

export class TxnBatcher<T> {
  readonly #client: Etcd3;
  #pending: Pending<T>[] = [];
  #scheduled = false;
  #maxOps = MAX_OPS_PER_TXN;

  constructor(client: Etcd3) {
    this.#client = client;
  }

  run(op: BatchOp<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ op, resolve, reject });
      if (this.#pending.length >= this.#maxOps) this.#flush();
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
    for (let i = 0; i < batch.length; i += this.#maxOps) void this.#send(batch.slice(i, i + this.#maxOps));
  }

  async #send(batch: Pending<T>[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      if (batch.length === 1) {
        batch[0]!.resolve(await batch[0]!.op.alone(this.#client));
        return;
      }
      const res = await this.#client.kv.txn({
        compare: [],
        success: batch.map((p) => p.op.request),
        failure: [],
      });
      for (const [i, p] of batch.entries()) p.resolve(p.op.result(res.responses[i]));
    } catch (err) {
      // an error of some requests (a too-large answer or request, a lost lease) or of the server's
      // op limit: halves, down to one request each, whose own error is its caller's answer
      if (batch.length > 1 && splittable(err)) {
        if (tooManyOps(err)) this.#maxOps = Math.max(1, Math.floor(batch.length / 2));
        const half = Math.ceil(batch.length / 2);
        await Promise.all([this.#send(batch.slice(0, half)), this.#send(batch.slice(half))]);
        return;
      }
      for (const p of batch) p.reject(err);
    }
  }
}
