// The closed-loop load, in its own process: `concurrency` callers each call Chaos.Echo, await the
// answer, and call again, until the runner writes "stop" (or maxMs passes). After a failed call a
// caller pauses 10 ms, as a real client would before trying again, so an outage is counted in
// calls a client would make rather than in how fast a loop can spin on an instant error.
// Prints {"event":"started"} when every expected node has answered once, then {"event":"done"}.
import "./plugins.js";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { type CallOptions, createClient } from "@micro/core";
import { errorKey } from "./error-key.js";
import { type EchoReply, ENDPOINT, SERVICE, stackOptions } from "./stack.js";
import { Tally } from "./tally.js";

export interface LoadConfig {
  concurrency: number;
  maxMs: number;
  expectNodes: number;
  /** CallOptions.idempotent; absent: not marked. */
  idempotent?: boolean;
  /** Whole-call deadline, ms (CallOptions.timeout). */
  timeoutMs?: number;
}

const config = JSON.parse(process.argv[2] ?? "{}") as LoadConfig;
const print = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const client = createClient({ name: "chaos.load", ...stackOptions(), poolSize: 256 });
const options: CallOptions = {
  ...(config.idempotent !== undefined ? { idempotent: config.idempotent } : {}),
  ...(config.timeoutMs !== undefined ? { timeout: config.timeoutMs } : {}),
};

let stopping = false;
createInterface({ input: process.stdin }).on("line", (l) => {
  if (l.trim() === "stop") stopping = true;
});

// every node answers once before the clock starts, so the selector's cache holds all of them;
// without the deadline, which the slow node would miss (and be avoided for it)
let seq = 0;
const seen = new Set<string>();
const warmUntil = Date.now() + 20_000;
const { timeout: _, ...warmOptions } = options;
while (seen.size < config.expectNodes && Date.now() < warmUntil) {
  try {
    seen.add((await client.call<EchoReply>(SERVICE, ENDPOINT, { seq: seq++ }, warmOptions)).node);
  } catch {
    await sleep(50);
  }
}
const tally = new Tally();
print({ event: "started", at: tally.startedAt, nodes: [...seen] });
const until = Date.now() + config.maxMs;

async function caller(): Promise<void> {
  while (!stopping && Date.now() < until) {
    const t0 = performance.now();
    try {
      const rsp = await client.call<EchoReply>(SERVICE, ENDPOINT, { seq: seq++ }, options);
      tally.ok(performance.now() - t0, rsp.node);
    } catch (err) {
      tally.failed(performance.now() - t0, errorKey(err));
      await sleep(10);
    }
  }
}

await Promise.all(Array.from({ length: config.concurrency }, caller));
print({ event: "done", ...tally.summary() });
await client.close().catch(() => {});
process.exit(0);
