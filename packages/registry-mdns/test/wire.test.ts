// What goes on the wire, read with raw sockets: the answer to a Go-style PTR query, announcements
// and goodbyes.
import { randomUUID } from "node:crypto";
import { type Service, silentLogger } from "@micro/core";
import dnsPacket, { type Answer } from "dns-packet";
import { afterEach, describe, expect, it } from "vitest";
import { MdnsRegistry } from "../src/registry.js";
import { decodeTxt } from "../src/txt.js";
import { groupSocket, LOOPBACK, querySocket, type RawSocket, type Received } from "./helpers.js";

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

function registry(): MdnsRegistry {
  const r = new MdnsRegistry({ interface: LOOPBACK, logger: silentLogger, hostname: "testhost" });
  open.push(r);
  return r;
}

async function raw(kind: "group" | "query"): Promise<RawSocket> {
  const s = kind === "group" ? await groupSocket() : await querySocket();
  open.push(s);
  return s;
}

function greeter(): Service {
  const name = `wire-${randomUUID().slice(0, 8)}`;
  return {
    name,
    version: "latest",
    endpoints: [{ name: "Greeter.Hello", metadata: {} }],
    nodes: [{ id: `${name}-1`, address: "127.0.0.1:43521", metadata: { server: "mucp" } }],
  };
}

const answerTo = (name: string) => (r: Received) =>
  r.packet.type === "response" && r.packet.questions?.[0]?.name === name;

// dns-packet's Answer union includes OPT records, which have neither data nor ttl
interface Rec {
  type: string;
  name: string;
  data?: unknown;
  ttl?: number;
}
const recs = (answers: Answer[] | undefined): Rec[] => (answers ?? []) as Rec[];
const summary = (answers: Answer[] | undefined) =>
  recs(answers).map((a) => [a.type, a.name, a.type === "TXT" ? "txt" : a.data, a.ttl]);

describe("wire", () => {
  it("answers a PTR query unicast, copying the question, with PTR, SRV, A and TXT", async () => {
    const r = registry();
    const s = greeter();
    await r.register(s);
    const q = await raw("query");
    const name = `${s.name}.micro`;
    await q.send({ type: "query", id: 4242, flags: 0, questions: [{ name, type: "PTR", class: "IN" }] });
    const { packet, from } = await q.waitFor(answerTo(name));
    // it came to our unicast socket, from the responder's 5353 socket
    expect(from.address).toBe(LOOPBACK);
    expect(from.port).toBe(5353);
    expect(packet.id).toBe(0);
    expect(packet.flag_qr).toBe(true);
    expect(packet.flag_aa).toBe(true);
    expect(packet.questions).toEqual([{ name, type: "PTR", class: "IN" }]);
    const instance = `${s.name}-1.${s.name}.micro`;
    expect(summary(packet.answers)).toEqual([
      ["PTR", name, instance, 120],
      ["SRV", instance, { priority: 10, weight: 1, port: 43521, target: "testhost" }, 120],
      ["A", "testhost", LOOPBACK, 120],
      ["TXT", instance, "txt", 120],
    ]);
    const txt = recs(packet.answers).find((a) => a.type === "TXT")!.data as Buffer[];
    expect(decodeTxt(txt)).toEqual({
      service: s.name,
      version: "latest",
      endpoints: s.endpoints,
      metadata: { server: "mucp" },
    });
    // the wildcard is not an answer to this question
    expect(q.received.filter(answerTo(name))).toHaveLength(1);
  });

  it("uses the query id when a unicast response is asked for (QU bit)", async () => {
    const r = registry();
    const s = greeter();
    await r.register(s);
    const q = await raw("query");
    const name = `${s.name}.micro`;
    // dns-packet cannot write the QU bit; set it in the class field of the single question
    const buf = dnsPacket.encode({ type: "query", id: 777, questions: [{ name, type: "PTR", class: "IN" }] });
    buf.writeUInt16BE(0x8001, buf.length - 2);
    await new Promise<void>((res, rej) =>
      q.socket.send(buf, 5353, "224.0.0.251", (e) => (e ? rej(e) : res())),
    );
    const { packet } = await q.waitFor(answerTo(name));
    expect(packet.id).toBe(777);
    expect(packet.answers?.map((a) => a.type)).toEqual(["PTR", "SRV", "A", "TXT"]);
  });

  it("answers _services with the wildcard entry for ListServices", async () => {
    const r = registry();
    const s = greeter();
    await r.register(s);
    const q = await raw("query");
    await q.send({
      type: "query",
      id: 1,
      questions: [{ name: "_services.micro", type: "PTR", class: "IN" }],
    });
    const hit = await q.waitFor(
      (x) =>
        answerTo("_services.micro")(x) && recs(x.packet.answers)[0]?.data === `${s.name}._services.micro`,
    );
    expect(summary(hit.packet.answers)).toEqual([
      ["PTR", "_services.micro", `${s.name}._services.micro`, 120],
      ["SRV", `${s.name}._services.micro`, { priority: 10, weight: 1, port: 9999, target: "testhost" }, 120],
      ["A", "testhost", "0.0.0.0", 120],
      ["TXT", `${s.name}._services.micro`, "txt", 120],
    ]);
    expect(recs(hit.packet.answers)[3]!.data).toEqual([]);
  });

  it("ignores truncated queries and other opcodes, like Go", async () => {
    const r = registry();
    const s = greeter();
    await r.register(s);
    const q = await raw("query");
    const name = `${s.name}.micro`;
    await q.send({
      type: "query",
      id: 2,
      flags: dnsPacket.TRUNCATED_RESPONSE,
      questions: [{ name, type: "PTR" }],
    });
    await q.send({ type: "query", id: 3, flags: 2 << 11 /* STATUS */, questions: [{ name, type: "PTR" }] });
    await new Promise((res) => setTimeout(res, 200));
    expect(q.received.filter(answerTo(name))).toEqual([]);
  });

  it("announces a new node, and says goodbye with TTL 0 on deregister", async () => {
    const g = await raw("group");
    const r = registry();
    const s = greeter();
    const instance = `${s.name}-1.${s.name}.micro`;
    await r.register(s);
    const hello = await g.waitFor(
      (x) => x.packet.type === "response" && x.packet.answers?.[0]?.name === instance,
    );
    expect(hello.packet.questions).toEqual([]);
    expect(summary(hello.packet.answers)).toEqual([
      ["SRV", instance, { priority: 10, weight: 1, port: 43521, target: "testhost" }, 120],
      ["A", "testhost", LOOPBACK, 120],
      ["TXT", instance, "txt", 120],
    ]);
    await r.deregister(s);
    const bye = await g.waitFor(
      (x) => x.packet.answers?.[0]?.name === instance && recs(x.packet.answers).every((a) => a.ttl === 0),
    );
    expect(summary(bye.packet.answers).map(([type, , , ttl]) => [type, ttl])).toEqual([
      ["SRV", 0],
      ["A", 0],
      ["TXT", 0],
    ]);
    // no further announcements once it is gone
    const count = g.received.filter((x) => x.packet.answers?.[0]?.name === instance).length;
    await new Promise((res) => setTimeout(res, 1200));
    expect(g.received.filter((x) => x.packet.answers?.[0]?.name === instance).length).toBe(count);
  });

  it("says goodbye for every node on close", async () => {
    const g = await raw("group");
    const r = new MdnsRegistry({ interface: LOOPBACK, logger: silentLogger });
    const s = greeter();
    await r.register(s);
    await r.close();
    await g.waitFor(
      (x) =>
        recs(x.packet.answers)[0]?.name === `${s.name}-1.${s.name}.micro` &&
        recs(x.packet.answers)[0]?.ttl === 0,
    );
  });

  it('rejects a node without a port with "missing service port", like Go', async () => {
    const r = registry();
    const s = greeter();
    await expect(
      r.register({ ...s, nodes: [{ id: "x", address: "127.0.0.1:0", metadata: {} }] }),
    ).rejects.toThrow("missing service port");
    await expect(
      r.register({ ...s, nodes: [{ id: "x", address: "127.0.0.1", metadata: {} }] }),
    ).rejects.toThrow("missing service port");
    // and nothing of the service was registered
    expect(await r.getService(s.name)).toEqual([]);
  });

  it("rejects node ids that cannot be a DNS label", async () => {
    const r = registry();
    const s = greeter();
    await expect(
      r.register({ ...s, nodes: [{ id: "x".repeat(64), address: "127.0.0.1:1", metadata: {} }] }),
    ).rejects.toThrow(/DNS name/);
  });
});
