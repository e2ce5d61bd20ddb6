// Answers questions about the nodes this process registered, announces them when they appear and
// says goodbye (TTL 0) when they go. Replies go unicast to the asker and copy its question, because
// Go's querier drops responses whose first question is not the one it sent.
import type { RemoteInfo } from "node:dgram";
import type { Logger } from "@micro/core";
import dnsPacket, { type Answer, type DecodedPacket, type Question } from "dns-packet";
import type { DnsSocket } from "./socket.js";
import { answer, anyRecords, type Instance } from "./zone.js";

export interface ResponderOptions {
  domain: string;
  /** Record TTL in seconds. */
  ttl: number;
  logger: Logger;
  /** When announcements go out after a node appears, in ms (Go: about 0, 1 s, 3 s). */
  announceAt?: readonly number[];
}

const DEFAULT_ANNOUNCE_AT = [0, 1000, 2000];

// dns-packet reads a class with the top (unicast-response) bit set as "UNKNOWN_32769".
function wantsUnicast(q: Question): boolean {
  const m = /^UNKNOWN_(\d+)$/.exec(String(q.class ?? ""));
  return !!m && (Number(m[1]) & 0x8000) !== 0;
}

interface Header {
  opcode?: string;
  rcode?: string;
}

export class Responder {
  readonly #socket: DnsSocket;
  readonly #instances: () => Iterable<Instance>;
  readonly #options: ResponderOptions;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(socket: DnsSocket, instances: () => Iterable<Instance>, options: ResponderOptions) {
    this.#socket = socket;
    this.#instances = instances;
    this.#options = options;
    socket.onPacket((packet, from) => this.#handle(packet, from));
  }

  #handle(query: DecodedPacket, from: RemoteInfo): void {
    if (query.type !== "query" || !query.questions?.length) return;
    const header = query as DecodedPacket & Header;
    // Like Go: truncated queries (known-answer lists continue elsewhere) and odd opcodes are not ours.
    if (
      query.flag_tc ||
      (header.opcode ?? "QUERY") !== "QUERY" ||
      (header.rcode ?? "NOERROR") !== "NOERROR"
    ) {
      return;
    }
    const { domain, ttl } = this.#options;
    const questions = query.questions.map((q) => ({ name: q.name, type: q.type, class: "IN" as const }));
    for (const inst of this.#instances()) {
      const multicast: Answer[] = [];
      const unicast: Answer[] = [];
      for (const q of query.questions) {
        (wantsUnicast(q) ? unicast : multicast).push(...answer(inst, q, ttl, domain));
      }
      // Go sends both kinds to the asker's address: id 0 for the multicast-style answer, the
      // query's id when a unicast response was asked for.
      if (multicast.length) void this.#reply(0, questions, multicast, from);
      if (unicast.length) void this.#reply(query.id ?? 0, questions, unicast, from);
    }
  }

  #reply(id: number, questions: Question[], answers: Answer[], to: RemoteInfo): Promise<void> {
    return this.#socket.unicast(
      { type: "response", id, flags: dnsPacket.AUTHORITATIVE_ANSWER, questions, answers },
      to.address,
      to.port,
    );
  }

  /** Unsolicited responses so watchers (and Go caches) learn of the node; returns a cancel. */
  announce(inst: Instance): () => void {
    const mine = new Set<NodeJS.Timeout>();
    for (const delay of this.#options.announceAt ?? DEFAULT_ANNOUNCE_AT) {
      const t = setTimeout(() => {
        this.#timers.delete(t);
        mine.delete(t);
        void this.#send(inst, this.#options.ttl);
      }, delay);
      t.unref();
      this.#timers.add(t);
      mine.add(t);
    }
    return () => {
      for (const t of mine) {
        clearTimeout(t);
        this.#timers.delete(t);
      }
    };
  }

  /** The node's records with TTL 0: peers drop it from caches and watchers see a delete. */
  goodbye(inst: Instance): Promise<void> {
    return this.#send(inst, 0);
  }

  #send(inst: Instance, ttl: number): Promise<void> {
    return this.#socket.multicast({
      type: "response",
      id: 0,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      answers: anyRecords(inst, ttl),
    });
  }

  stop(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}
