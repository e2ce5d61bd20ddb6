// The batcher's fallbacks, which a default etcd never triggers: a server allowing fewer operations
// per transaction, and one service whose records together with others' pass the message limit.
// A stand-in client answers like etcd does (the same error texts); the real-server path is in
// scale.test.ts.
import type { Etcd3 } from "etcd3";
import { describe, expect, it } from "vitest";
import { RangeBatcher } from "../src/range-batch.js";

interface RangeReq {
  key: Buffer;
}

/** Answers each range with one kv named after the prefix; refuses like etcd past its limits. */
function standIn(options: { maxOps: number; big?: string }) {
  const calls: number[] = [];
  const kvFor = (req: RangeReq) => ({ kvs: [{ key: Buffer.from(`${req.key}x`), value: Buffer.from("{}") }] });
  const client = {
    kv: {
      range: async (req: RangeReq) => {
        calls.push(1);
        if (options.big && String(req.key) === options.big)
          throw new Error("8 RESOURCE_EXHAUSTED: Received message larger than max (5000000 vs 4194304)");
        return kvFor(req);
      },
      txn: async (req: { success: { request_range: RangeReq }[] }) => {
        calls.push(req.success.length);
        if (req.success.length > options.maxOps)
          throw new Error("3 INVALID_ARGUMENT: etcdserver: too many operations in txn request");
        if (options.big && req.success.some((op) => String(op.request_range.key) === options.big))
          throw new Error("8 RESOURCE_EXHAUSTED: Received message larger than max (5000000 vs 4194304)");
        return { responses: req.success.map((op) => ({ response_range: kvFor(op.request_range) })) };
      },
    },
  };
  return { client: client as unknown as Etcd3, calls };
}

const prefixes = (n: number) => Array.from({ length: n }, (_, i) => `/micro/registry/s${i}/`);

describe("range batcher", () => {
  it("shrinks its transactions to what the server allows, and keeps that size", async () => {
    const { client, calls } = standIn({ maxOps: 16 });
    const batcher = new RangeBatcher(client);
    const got = await Promise.all(prefixes(100).map((p) => batcher.read(p)));
    for (const [i, kvs] of got.entries()) expect(kvs[0]![0]).toBe(`/micro/registry/s${i}/x`);
    calls.length = 0;
    await Promise.all(prefixes(100).map((p) => batcher.read(p)));
    expect(Math.max(...calls)).toBeLessThanOrEqual(16);
  });

  it("fails only the service whose answer is too large", async () => {
    const { client } = standIn({ maxOps: 128, big: "/micro/registry/s7/" });
    const batcher = new RangeBatcher(client);
    const results = await Promise.allSettled(prefixes(20).map((p) => batcher.read(p)));
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [i] : []));
    expect(failed).toEqual([7]);
    expect(String((results[7] as PromiseRejectedResult).reason)).toMatch(/larger than max/);
  });

  it("reads a lone prefix with a plain range", async () => {
    const { client, calls } = standIn({ maxOps: 128 });
    await new RangeBatcher(client).read("/micro/registry/alone/");
    expect(calls).toEqual([1]);
  });
});
