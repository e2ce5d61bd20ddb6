// Fuzzing mDNS packets (issue 18) along the path a received packet takes: decodePacket (a packet
// that does not parse is dropped, whatever it throws), the records folded into entries (which
// must never throw: that would lose the packet's good records too), each complete entry turned into
// a service (which may refuse the TXT payload with an Error that says why, never a bug's TypeError),
// and a watcher's handling of the whole packet; each input in under 100 ms. MICRO_FUZZ_RUNS sets the
// budget.
import { deflateSync } from "node:zlib";
import { silentLogger } from "@micro/core";
import { anyBytes, cuts, fc, fuzzIt, isEngineError, mutated } from "@micro/testing/fuzz";
import dnsPacket, { type Answer, type DecodedPacket } from "dns-packet";
import { describe, expect, it } from "vitest";
import { EntryCollector } from "../src/entries.js";
import { entryService } from "../src/node.js";
import { decodePacket } from "../src/packet.js";
import type { DnsSocket, PacketListener } from "../src/socket.js";
import { chunk, encodeTxt, TXT_CHUNK } from "../src/txt.js";
import { mdnsWatcher } from "../src/watcher.js";
import { anyRecords, type Instance, serviceRecords } from "../src/zone.js";

const DOMAIN = "micro";

// An Error saying why a record was refused (TypeError from our checks, SyntaxError from JSON, zlib's
// errors): callers log its message and skip the node. A V8 message means a bug instead.
const refusal = (err: unknown) => err instanceof Error && !isEngineError(err);

function instance(txt: string[], id = "greeter-1", ips = ["10.0.0.5", "fe80::1"]): Instance {
  return {
    name: `${id}.greeter.${DOMAIN}.`,
    service: `greeter.${DOMAIN}.`,
    host: "host.local.",
    ips,
    port: 43521,
    txt,
  };
}

const GOOD_TXT = encodeTxt({
  service: "greeter",
  version: "latest",
  endpoints: [
    {
      name: "Greeter.Hello",
      request: { name: "Request", type: "Request", values: [{ name: "name", type: "string" }] },
      response: { name: "Response", type: "Response", values: [{ name: "msg", type: "string" }] },
      metadata: { stream: "false" },
    },
  ],
  metadata: { protocol: "mucp", server: "mucp" },
});

const packet = (answers: Answer[], additionals: Answer[] = []) =>
  Uint8Array.from(
    dnsPacket.encode({
      type: "response",
      id: 0,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      answers,
      additionals,
    }),
  );

const SEEDS = [
  packet(serviceRecords(instance(GOOD_TXT), 120)),
  packet(anyRecords(instance(GOOD_TXT), 0)), // a goodbye
  packet(
    [{ name: `greeter.${DOMAIN}.`, type: "PTR", ttl: 120, data: `greeter-2.greeter.${DOMAIN}.` }],
    anyRecords(instance(GOOD_TXT, "greeter-2", ["127.0.0.1"]), 120),
  ),
  Uint8Array.from(
    dnsPacket.encode({
      type: "query",
      id: 7,
      questions: [{ name: `greeter.${DOMAIN}.`, type: "PTR", class: "IN" }],
    }),
  ),
];

/** What a received packet becomes: services, skipped entries; throws only on a bug. */
function receive(bytes: Uint8Array): number {
  let decoded: DecodedPacket;
  try {
    decoded = decodePacket(Buffer.from(bytes));
  } catch {
    return 0; // dropped by the socket, as any unreadable packet
  }
  const collector = new EntryCollector();
  collector.add([...(decoded.answers ?? []), ...(decoded.additionals ?? [])]);
  let services = 0;
  for (const entry of collector.complete()) {
    try {
      entryService(entry, DOMAIN);
      services++;
    } catch (err) {
      if (!refusal(err)) throw err;
    }
  }
  return services;
}

// The socket a watcher subscribes to, handed over synchronously (the watcher only calls `then`), so
// a whole sequence of packets is heard within one property run.
function listeningWatcher(): { hear: PacketListener; stop: () => void } {
  let hear: PacketListener | undefined;
  const onPacket = (l: PacketListener) => {
    hear = l;
    return () => {};
  };
  const socket = { onPacket } as unknown as DnsSocket;
  // biome-ignore lint/suspicious/noThenProperty: a thenable that calls back at once is the point here
  const now = { then: (ok: (s: DnsSocket) => void) => ok(socket) } as unknown as Promise<DnsSocket>;
  const watcher = mdnsWatcher(now, { domain: DOMAIN, logger: silentLogger });
  return { hear: hear!, stop: () => watcher.stop() };
}

describe("fuzz: mdns packets", () => {
  fuzzIt(
    "any packet: entries never throw, services or a stated refusal, each under the time limit",
    fc.oneof(anyBytes(), mutated(SEEDS)),
    (bytes, probe) => {
      probe.run(bytes, receive);
    },
    // folding records must not throw at all, and refusals are caught inside
    { accepts: () => false },
  );

  fuzzIt(
    "a watcher hears any sequence of packets without throwing",
    fc.array(fc.oneof(anyBytes(128), mutated(SEEDS)), { minLength: 1, maxLength: 6 }),
    (packets, probe) => {
      probe.run(packets, (ps) => {
        const { hear, stop } = listeningWatcher();
        for (const p of ps) {
          let decoded: DecodedPacket;
          try {
            decoded = decodePacket(Buffer.from(p));
          } catch {
            continue;
          }
          hear(decoded, { address: "10.0.0.9", family: "IPv4", port: 5353, size: p.length });
        }
        stop();
      });
    },
    { accepts: () => false },
  );
});

// The TXT payload is JSON a peer chose: any JSON, deflated and hex-encoded as go-micro does, must
// become a service or a stated refusal.
const txtOf = (json: string) => chunk(deflateSync(Buffer.from(json)).toString("hex"), TXT_CHUNK);
const endpoint = fc.record(
  {
    name: fc.oneof(fc.string(), fc.jsonValue()),
    request: fc.jsonValue(),
    response: fc.jsonValue(),
    metadata: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()),
  },
  { requiredKeys: [] },
);
const payload = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      Service: fc.oneof(fc.constant("greeter"), fc.jsonValue()),
      Version: fc.oneof(fc.string(), fc.jsonValue()),
      Endpoints: fc.oneof(fc.array(endpoint, { maxLength: 4 }), fc.jsonValue()),
      Metadata: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()),
    },
    { requiredKeys: [] },
  ),
);

describe("fuzz: mdns TXT payloads", () => {
  fuzzIt(
    "any JSON in the TXT: a service or a stated refusal, each under the time limit",
    fc.tuple(payload, cuts(2)),
    ([json], probe) => {
      const txt = txtOf(JSON.stringify(json) ?? "null");
      const entry = {
        name: `greeter-1.greeter.${DOMAIN}.`,
        port: 1,
        v4: "10.0.0.5",
        txt: txt.map((s) => Buffer.from(s)),
        ttl: 120,
      };
      const got = probe.run(entry, (e) => entryService(e, DOMAIN));
      if (got.ok) expect(got.value.nodes[0]!.address).toBe("10.0.0.5:1");
    },
    { accepts: refusal },
  );
});

describe("fuzz seeds", () => {
  it("are what a registry sends: each announcement is a service", () => {
    expect(SEEDS.map(receive)).toEqual([1, 1, 1, 0]);
  });
});
