// Records that are not go-micro's encoding are skipped with a warning, never thrown to the caller.
import { randomUUID } from "node:crypto";
import dnsPacket, { type Answer } from "dns-packet";
import { afterEach, describe, expect, it } from "vitest";
import { MdnsRegistry } from "../src/registry.js";
import { encodeTxt } from "../src/txt.js";
import { groupSocket, LOOPBACK, type RawSocket, sleep, spyLogger } from "./helpers.js";

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

function records(service: string, id: string, port: number, txt: string[]): Answer[] {
  const instance = `${id}.${service}.micro`;
  return [
    { name: `${service}.micro`, type: "PTR", ttl: 120, data: instance },
    { name: instance, type: "SRV", ttl: 120, data: { priority: 10, weight: 1, port, target: "fakehost" } },
    { name: "fakehost", type: "A", ttl: 120, data: LOOPBACK },
    { name: instance, type: "TXT", ttl: 120, data: txt },
  ];
}

// A hand-made responder: answers PTR queries for `service` with one good and one broken node.
async function fakeResponder(service: string): Promise<RawSocket> {
  const g = await groupSocket();
  open.push(g);
  const good = encodeTxt({ service, version: "1", endpoints: [], metadata: {} });
  g.socket.on("message", (buf, from) => {
    const q = dnsPacket.decode(buf);
    if (q.type !== "query" || q.questions?.[0]?.name !== `${service}.micro`) return;
    for (const answers of [
      records(service, "good", 1001, good),
      records(service, "bad", 1002, ["txtvers=1"]),
    ]) {
      const reply = dnsPacket.encode({
        type: "response",
        id: 0,
        flags: dnsPacket.AUTHORITATIVE_ANSWER,
        questions: q.questions,
        answers,
      });
      g.socket.send(reply, from.port, from.address);
    }
  });
  return g;
}

describe("records that do not decode", () => {
  it("are left out of getService with a logged warning", async () => {
    const service = `bad-${randomUUID().slice(0, 8)}`;
    await fakeResponder(service);
    const logger = spyLogger();
    const r = new MdnsRegistry({ interface: LOOPBACK, logger });
    open.push(r);
    const got = await r.getService(service);
    expect(got.map((s) => s.nodes.map((n) => [n.id, n.address]))).toEqual([[["good", "127.0.0.1:1001"]]]);
    expect(logger.warnings.some((w) => w.includes(`bad.${service}.micro.`))).toBe(true);
  });

  it("are skipped by watchers with a logged warning", async () => {
    const service = `bad-${randomUUID().slice(0, 8)}`;
    const logger = spyLogger();
    const r = new MdnsRegistry({ interface: LOOPBACK, logger });
    open.push(r);
    const w = r.watch({ service });
    await sleep(150);
    const g = await groupSocket();
    open.push(g);
    const good = encodeTxt({ service, version: "1", endpoints: [], metadata: {} });
    await g.send({
      type: "response",
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      answers: records(service, "bad", 1, ["zz"]).slice(1),
    });
    await g.send({
      type: "response",
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      answers: records(service, "good", 2, good).slice(1),
    });
    const e = await w.next();
    expect([e.action, e.service.nodes[0]!.id]).toEqual(["create", "good"]);
    expect(logger.warnings.some((x) => x.includes(`bad.${service}.micro.`))).toBe(true);
    w.stop();
  });

  it("and garbage packets on the group change nothing", async () => {
    const r = new MdnsRegistry({ interface: LOOPBACK, logger: spyLogger() });
    open.push(r);
    const service = `garbage-${randomUUID().slice(0, 8)}`;
    await r.register({
      name: service,
      version: "1",
      endpoints: [],
      nodes: [{ id: "n1", address: "127.0.0.1:5", metadata: {} }],
    });
    const g = await groupSocket();
    open.push(g);
    await new Promise<void>((res) =>
      g.socket.send(Buffer.from("definitely not dns"), 5353, "224.0.0.251", () => res()),
    );
    await new Promise<void>((res) => g.socket.send(Buffer.alloc(3), 5353, "224.0.0.251", () => res()));
    await sleep(50);
    expect((await r.getService(service))[0]?.nodes.map((n) => n.id)).toEqual(["n1"]);
  });
});
