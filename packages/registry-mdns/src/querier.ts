// One question asked the way Go asks it: from an ephemeral socket to the group, then every answer
// that arrives within the timeout. mDNS has no "last answer", so the timeout is the whole cost.
import { randomInt } from "node:crypto";
import type { Logger } from "@micro/core";
import { type Entry, EntryCollector } from "./entries.js";
import { sameName } from "./names.js";
import { DnsSocket } from "./socket.js";

export interface QueryOptions {
  /** Fully qualified name asked for with a PTR question. */
  name: string;
  /** ms to collect answers. */
  timeout: number;
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
  try {
    const collector = new EntryCollector();
    socket.onPacket((packet) => {
      if (packet.type !== "response") return;
      // Same rule as Go's querier: only answers to our own question.
      const first = packet.questions?.[0];
      if (!first || !sameName(first.name, options.name)) return;
      collector.add([...(packet.answers ?? []), ...(packet.additionals ?? [])]);
    });
    await socket.multicast({
      type: "query",
      id: randomInt(0, 0x10000),
      flags: 0,
      questions: [{ name: options.name, type: "PTR", class: "IN" }],
    });
    await new Promise((resolve) => setTimeout(resolve, options.timeout));
    return collector.complete().filter((e) => e.ttl > 0);
  } finally {
    await socket.close();
  }
}
