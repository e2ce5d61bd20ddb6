// One question asked the way Go asks it: from an ephemeral socket to the group, then every answer
// that arrives within the timeout — or, with `settle`, until the answers settle (see settle.ts).
import { randomInt } from "node:crypto";
import type { Logger } from "@micro/core";
import { type Entry, EntryCollector, isComplete } from "./entries.js";
import { sameName } from "./names.js";
import { settler } from "./settle.js";
import { DnsSocket } from "./socket.js";

export interface QueryOptions {
  /** Fully qualified name asked for with a PTR question. */
  name: string;
  /** ms to collect answers. */
  timeout: number;
  /**
   * Return this many ms after the last answer that completed an entry instead of at the timeout
   * (none: wait the whole timeout).
   */
  settle?: number;
  interfaces: string[];
  logger: Logger;
}

/** Complete, live entries (TTL > 0) answering a PTR question for `name`. */
export async function query(options: QueryOptions): Promise<Entry[]> {
  const socket = await DnsSocket.open({
    interfaces: options.interfaces,
    logger: options.logger,
    mode: "ephemeral",
  });
  const wait = settler(options.timeout, options.settle ?? options.timeout);
  try {
    const collector = new EntryCollector();
    socket.onPacket((packet) => {
      if (packet.type !== "response") return;
      // Same rule as Go's querier: only answers to our own question.
      const first = packet.questions?.[0];
      if (!first || !sameName(first.name, options.name)) return;
      const touched = collector.add([...(packet.answers ?? []), ...(packet.additionals ?? [])]);
      // only an answer that completes an entry counts: a half answer still waits for its rest
      if (touched.some(isComplete)) wait.answered();
    });
    await socket.multicast({
      type: "query",
      id: randomInt(0, 0x10000),
      flags: 0,
      questions: [{ name: options.name, type: "PTR", class: "IN" }],
    });
    await wait.done;
    return collector.complete().filter((e) => e.ttl > 0);
  } finally {
    wait.cancel();
    await socket.close();
  }
}
