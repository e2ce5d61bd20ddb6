// The bytes on micro.nats.query / micro.nats.watch are the contract with Go services: these tests
// listen and answer with a raw NATS client, as a Go node would.
import { describeWithServer } from "@micro/testing/servers";
import { GO_GREETER_JSON, goGreeter } from "@micro/testing/vectors";
import type { Msg, NatsConnection } from "@nats-io/nats-core";
import { createInbox } from "@nats-io/nats-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { eventually, rawClient, recordingLogger, registry, sleep } from "./helpers.js";

const GO_SERVICE = GO_GREETER_JSON;
const greeter = goGreeter;

// Collects raw messages of a subject.
function capture(nc: NatsConnection, subject: string): Msg[] {
  const msgs: Msg[] = [];
  nc.subscribe(subject, { callback: (_e, m) => void msgs.push(m) });
  return msgs;
}

describeWithServer("nats", "nats registry wire format", () => {
  let raw: NatsConnection;
  beforeAll(async () => {
    raw = await rawClient();
  });
  afterAll(() => raw.close());

  it("announces registration and deregistration on micro.nats.watch with go-micro's {Service, Action} JSON", async () => {
    const watch = capture(raw, "micro.nats.watch");
    await raw.flush();
    const r = registry();
    try {
      await r.register(greeter(), { ttl: 60_000 });
      await r.deregister(greeter());
      await eventually(() => expect(watch.length).toBeGreaterThanOrEqual(2));
      const texts = watch.map((m) => m.string()).filter((t) => t.includes('"name":"greeter"'));
      expect(texts[0]).toBe(`{"Service":${GO_SERVICE},"Action":"create"}`);
      expect(texts[1]).toBe(`{"Service":${GO_SERVICE},"Action":"delete"}`);
    } finally {
      await r.close();
    }
  });

  it("sends go-micro's get and list queries with a reply inbox", async () => {
    const queries = capture(raw, "micro.nats.query");
    await raw.flush();
    const r = registry({ timeout: 50 });
    try {
      await r.getService("greeter");
      await r.listServices();
      await eventually(() => expect(queries.length).toBeGreaterThanOrEqual(2));
      expect(queries[0]!.string()).toBe(
        '{"Service":{"name":"greeter","version":"","metadata":null,"endpoints":null,"nodes":null},"Action":"get"}',
      );
      expect(queries[1]!.string()).toBe('{"Service":null,"Action":"list"}');
      expect(queries[0]!.reply).toMatch(/^_INBOX\./);
    } finally {
      await r.close();
    }
  });

  it("answers a Go node's get and list queries with its services' registry JSON", async () => {
    const r = registry();
    try {
      await r.register(greeter());
      const ask = async (query: string) => {
        const inbox = createInbox();
        const replies = capture(raw, inbox);
        raw.publish("micro.nats.query", query, { reply: inbox });
        await sleep(150);
        return replies.map((m) => m.string());
      };
      expect(
        await ask(
          '{"Service":{"name":"greeter","version":"","metadata":null,"endpoints":null,"nodes":null},"Action":"get"}',
        ),
      ).toEqual([GO_SERVICE]);
      // Go decodes keys case-insensitively, so a lower-case envelope is a query too
      expect(await ask('{"service":{"name":"greeter"},"action":"get"}')).toEqual([GO_SERVICE]);
      expect(await ask('{"Service":{"name":"other"},"Action":"get"}')).toEqual([]);
      // a list is answered without endpoint schemas: Go's ListServices keeps only names and versions
      expect(await ask('{"Service":null,"Action":"list"}')).toContain(
        GO_SERVICE.replace(/"endpoints":\[.*?\],"nodes"/, '"endpoints":[],"nodes"'),
      );
      expect(await ask("not json")).toEqual([]);
    } finally {
      await r.deregister(greeter());
      await r.close();
    }
  });

  it("merges a Go node's answers (nulls, metadata:null) with its own in getService", async () => {
    const name = `go-peer-${Date.now()}`;
    // a raw client answering like a Go node: two versions, Go's nulls
    const goNode = (version: string, id: string) =>
      `{"name":"${name}","version":"${version}","metadata":null,"endpoints":null,"nodes":[{"metadata":null,"id":"${id}","address":"10.9.9.9:1"}]}`;
    const sub = raw.subscribe("micro.nats.query", {
      callback: (_e, m) => {
        const q = JSON.parse(m.string());
        if (!m.reply || (q.Action === "get" && q.Service?.name !== name)) return;
        raw.publish(m.reply, goNode("1.0.0", "go-a"));
        raw.publish(m.reply, goNode("2.0.0", "go-b"));
        raw.publish(m.reply, "{broken");
      },
    });
    await raw.flush();
    const logger = recordingLogger();
    const r = registry({ logger });
    try {
      await r.register({
        name,
        version: "1.0.0",
        endpoints: [],
        nodes: [{ id: "ts-a", address: "127.0.0.1:2", metadata: { x: "y" } }],
      });
      const got = [...(await r.getService(name))].sort((a, b) => a.version.localeCompare(b.version));
      expect(got.map((s) => s.version)).toEqual(["1.0.0", "2.0.0"]);
      expect(got[0]!.nodes.map((n) => n.id).sort()).toEqual(["go-a", "ts-a"]);
      expect(got[1]!.nodes).toEqual([{ id: "go-b", address: "10.9.9.9:1", metadata: {} }]);
      expect(logger.warnings.some((w) => w.includes("malformed reply"))).toBe(true);
      expect((await r.listServices()).map((s) => s.name)).toContain(name);
    } finally {
      sub.unsubscribe();
      await r.close();
    }
  });

  it("takes the server's 'no responders' answer as no answers: at once and without a warning", async () => {
    // a query subject of its own, so no registry of another test answers
    const logger = recordingLogger();
    const r = registry({ logger, queryTopic: `micro.nats.query.${Date.now()}`, timeout: 3000 });
    try {
      const started = Date.now();
      expect(await r.getService("nobody")).toEqual([]);
      expect(await r.listServices()).toEqual([]);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(logger.warnings).toEqual([]);
    } finally {
      await r.close();
    }
  });

  it("reports a Go node's watch events, update for a changed node and delete", async () => {
    const r = registry();
    const w = r.watch({ service: "greeter" });
    const seen: string[] = [];
    void (async () => {
      for await (const e of w) seen.push(`${e.action}:${e.service.nodes[0]?.metadata.registry ?? ""}`);
    })();
    try {
      await sleep(100);
      raw.publish("micro.nats.watch", `{"Service":${GO_SERVICE},"Action":"create"}`);
      raw.publish("micro.nats.watch", '{"Service":{"name":"other","nodes":[]},"Action":"create"}');
      raw.publish("micro.nats.watch", "garbage");
      raw.publish(
        "micro.nats.watch",
        `{"Service":${GO_SERVICE.replace('"registry":"mdns"', '"registry":"nats"')},"Action":"update"}`,
      );
      raw.publish("micro.nats.watch", `{"Service":${GO_SERVICE},"Action":"delete"}`);
      await eventually(() => expect(seen).toEqual(["create:mdns", "update:nats", "delete:mdns"]));
    } finally {
      w.stop();
      await r.close();
    }
  });

  it("announces a changed re-registration as update and an unchanged one as create (like Go)", async () => {
    const watch = capture(raw, "micro.nats.watch");
    await raw.flush();
    const r = registry();
    const s = greeter();
    try {
      await r.register(s);
      await r.register(s);
      s.nodes[0]!.metadata.extra = "1";
      await r.register(s);
      const mine = () =>
        watch.map((m) => JSON.parse(m.string())).filter((e) => e.Service?.name === "greeter");
      await eventually(() => expect(mine().length).toBeGreaterThanOrEqual(3));
      expect(
        mine()
          .slice(0, 3)
          .map((e) => e.Action),
      ).toEqual(["create", "create", "update"]);
    } finally {
      await r.deregister(s);
      await r.close();
    }
  });
});
