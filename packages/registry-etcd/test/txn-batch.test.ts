// The batcher's fallbacks, which a default etcd under normal load never triggers: a server allowing
// fewer operations per transaction, one service whose records together with others' pass the
// message limit, a lost lease among the writes of a batch. A stand-in client answers like etcd
// (the same error texts and types); the real-server path is in scale.test.ts and the conformance
// suite.
import { type Etcd3, EtcdLeaseInvalidError, type IRequestOp } from "etcd3";
import { describe, expect, it } from "vitest";
import { type KeyValues, putOnLease, readPrefix, TxnBatcher } from "../src/txn-batch.js";

const TOO_LARGE = "8 RESOURCE_EXHAUSTED: Received message larger than max (5000000 vs 4194304)";

/** Answers each range with one kv named after the prefix; refuses like etcd past its limits. */
function standIn(options: { maxOps?: number; big?: string; lostLease?: string }) {
  const calls: number[] = [];
  const written: string[] = [];
  const check = (op: IRequestOp) => {
    if (options.big && String(op.request_range?.key) === options.big) throw new Error(TOO_LARGE);
    if (options.lostLease && op.request_put?.lease === options.lostLease)
      throw new EtcdLeaseInvalidError("etcdserver: requested lease not found");
  };
  const answer = (op: IRequestOp) => {
    if (op.request_put) written.push(String(op.request_put.key));
    return op.request_range
      ? {
          response_range: {
            kvs: [{ key: Buffer.from(`${op.request_range.key}x`), value: Buffer.from("{}") }],
          },
        }
      : { response_put: {} };
  };
  const client = {
    kv: {
      range: async (req: IRequestOp["request_range"]) => {
        calls.push(1);
        check({ request_range: req });
        return answer({ request_range: req }).response_range;
      },
      put: async (req: IRequestOp["request_put"]) => {
        calls.push(1);
        check({ request_put: req });
        answer({ request_put: req });
        return {};
      },
      txn: async (req: { success: IRequestOp[] }) => {
        calls.push(req.success.length);
        if (req.success.length > (options.maxOps ?? 128))
          throw new Error("3 INVALID_ARGUMENT: etcdserver: too many operations in txn request");
        for (const op of req.success) check(op);
        return { responses: req.success.map(answer) };
      },
    },
  };
  return { client: client as unknown as Etcd3, calls, written };
}

const prefixes = (n: number) => Array.from({ length: n }, (_, i) => `/micro/registry/s${i}/`);

describe("transaction batcher", () => {
  it("shrinks its transactions to what the server allows, and keeps that size", async () => {
    const { client, calls } = standIn({ maxOps: 16 });
    const batcher = new TxnBatcher<KeyValues>(client);
    const got = await Promise.all(prefixes(100).map((p) => batcher.run(readPrefix(p))));
    for (const [i, kvs] of got.entries()) expect(kvs[0]![0]).toBe(`/micro/registry/s${i}/x`);
    calls.length = 0;
    await Promise.all(prefixes(100).map((p) => batcher.run(readPrefix(p))));
    expect(Math.max(...calls)).toBeLessThanOrEqual(16);
  });

  it("fails only the read whose answer is too large", async () => {
    const { client } = standIn({ big: "/micro/registry/s7/" });
    const batcher = new TxnBatcher<KeyValues>(client);
    const results = await Promise.allSettled(prefixes(20).map((p) => batcher.run(readPrefix(p))));
    expect(results.flatMap((r, i) => (r.status === "rejected" ? [i] : []))).toEqual([7]);
    expect(String((results[7] as PromiseRejectedResult).reason)).toMatch(/larger than max/);
  });

  it("fails only the writes on a lost lease, and writes the others", async () => {
    const { client, written } = standIn({ lostLease: "2" });
    const batcher = new TxnBatcher<void>(client);
    const keys = Array.from({ length: 30 }, (_, i) => `/micro/registry/w/${i}`);
    const results = await Promise.allSettled(
      keys.map((k, i) => batcher.run(putOnLease(k, "{}", String(i % 3)))),
    );
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [i] : []));
    expect(failed).toEqual(keys.flatMap((_, i) => (i % 3 === 2 ? [i] : [])));
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(EtcdLeaseInvalidError);
    expect(written.sort()).toEqual(keys.filter((_, i) => i % 3 !== 2).sort());
  });

  it("sends a lone request alone, and requests made together in one transaction", async () => {
    const { client, calls } = standIn({});
    const batcher = new TxnBatcher<KeyValues>(client);
    await batcher.run(readPrefix("/micro/registry/alone/"));
    expect(calls).toEqual([1]);
    calls.length = 0;
    await Promise.all(prefixes(300).map((p) => batcher.run(readPrefix(p))));
    expect(calls).toEqual([128, 128, 44]);
  });
});
