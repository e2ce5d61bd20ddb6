// What goes over NATS, checked with a raw client playing go-micro's part: requests are the JSON
// envelope on the listener's subject with reply-to = the client's inbox; replies go to that inbox;
// one server socket per reply subject; addresses are subjects.
import type { Socket } from "@micro/core";
import { advertiseAddress } from "@micro/core/plugin-kit";
import { describeWithServer } from "@micro/testing/servers";
import type { Msg, NatsConnection } from "@nats-io/nats-core";
import { createInbox } from "@nats-io/nats-core";
import { afterEach, expect, it } from "vitest";
import type { NatsTransport } from "../src/index.js";
import { rawClient, sleep, text, transport, untext, waitFor } from "./helpers.js";

describeWithServer("nats", "nats transport on the wire", () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
  });
  const open = (): NatsTransport => {
    const t = transport();
    cleanup.push(() => t.close());
    return t;
  };
  const raw = async (): Promise<NatsConnection> => {
    const nc = await rawClient();
    cleanup.push(() => nc.close());
    return nc;
  };

  it("listens on a fresh _INBOX subject for :0, and on the subject it is given", async () => {
    const t = open();
    const a = await t.listen(":0");
    const b = await t.listen("");
    const c = await t.listen("go.micro.srv.greeter");
    cleanup.push(
      () => a.close(),
      () => b.close(),
      () => c.close(),
    );
    expect(a.addr()).toMatch(/^_INBOX\.[A-Za-z0-9]+$/);
    expect(b.addr()).toMatch(/^_INBOX\./);
    expect(a.addr()).not.toBe(b.addr());
    expect(c.addr()).toBe("go.micro.srv.greeter");
    await expect(t.listen("has space")).rejects.toThrow(/not a usable subject/);
  });

  it("answers a Go-style client: envelope in, envelope out to its reply subject", async () => {
    const t = open();
    const l = await t.listen(":0");
    cleanup.push(() => l.close());
    const accepted: Socket[] = [];
    l.accept(async (s) => {
      accepted.push(s);
      for (;;) {
        const m = await s.recv().catch(() => undefined);
        if (!m) return;
        await s.send({
          header: { "Content-Type": "application/json", "Micro-Id": m.header["Micro-Id"]! },
          body: m.body,
        });
      }
    });
    const nc = await raw();
    const inbox = createInbox();
    const replies: Msg[] = [];
    nc.subscribe(inbox, { callback: (_e, m) => void replies.push(m) });
    await nc.flush();
    // exactly what go-micro's ntportClient.Send publishes
    nc.publish(
      l.addr(),
      '{"Header":{"Content-Type":"application/json","Micro-Endpoint":"Greeter.Hello","Micro-Id":"1"},"Body":"eyJuYW1lIjoiSm9obiJ9"}',
      { reply: inbox },
    );
    nc.publish(l.addr(), '{"Header":{"Micro-Id":"2"},"Body":"e30="}', { reply: inbox });
    await waitFor(() => replies.length === 2);
    expect(replies[0]!.string()).toBe(
      '{"Header":{"Content-Type":"application/json","Micro-Id":"1"},"Body":"eyJuYW1lIjoiSm9obiJ9"}',
    );
    expect(replies[0]!.headers).toBeUndefined();
    expect(untext(replies[1]!.data)).toContain('"Micro-Id":"2"');
    // one server socket per reply subject, addressed by subjects
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.local).toBe(l.addr());
    expect(accepted[0]!.remote).toBe(inbox);
  });

  it("sends the client's messages as envelopes with reply-to = its inbox, and reads replies from it", async () => {
    const nc = await raw();
    const requests: Msg[] = [];
    nc.subscribe("wire.server", {
      callback: (_e, m) => {
        requests.push(m);
        if (
          m.reply &&
          m.data.length &&
          !m.reply.endsWith(".dial") &&
          !m.string().includes("micro.nats.close")
        )
          nc.publish(m.reply, '{"Header":{"X":"y"},"Body":"cG9uZw=="}');
      },
    });
    await nc.flush();
    const t = open();
    const s = await t.dial("wire.server");
    cleanup.push(() => s.close());
    expect(s.remote).toBe("wire.server");
    expect(s.local).toMatch(/^_INBOX\./);
    await s.send({
      header: { "Micro-Endpoint": "A.B", "Content-Type": "application/json" },
      body: text("ping"),
    });
    const reply = await s.recv();
    expect(reply).toEqual({ header: { X: "y" }, body: text("pong") });
    // the dial probe (a close frame to <inbox>.dial), then the request
    expect(requests).toHaveLength(2);
    expect(requests[0]!.reply).toBe(`${s.local}.dial`);
    expect(requests[0]!.string()).toBe(
      '{"Header":{"Connection":"close","Micro-Error":"EOS","Micro-Stream":"micro.nats.close"},"Body":""}',
    );
    expect(requests[1]!.reply).toBe(s.local);
    expect(requests[1]!.string()).toBe(
      '{"Header":{"Content-Type":"application/json","Micro-Endpoint":"A.B"},"Body":"cGluZw=="}',
    );
    await s.close();
    await waitFor(() => requests.length === 3);
    expect(requests[2]!.reply).toBe(s.local);
    expect(requests[2]!.string()).toContain("micro.nats.close");
  });

  it("is registered under its subject as it is, as Go registers it", async () => {
    const t = open();
    const l = await t.listen(":0");
    cleanup.push(() => l.close());
    expect(advertiseAddress(l.addr())).toBe(l.addr());
  });

  it("releases idle server sockets; the next message from the same client opens a new one", async () => {
    const t = transport({ idleTimeout: 150 });
    cleanup.push(() => t.close());
    const l = await t.listen(":0");
    cleanup.push(() => l.close());
    const accepted: Socket[] = [];
    const errors: unknown[] = [];
    l.accept(async (s) => {
      accepted.push(s);
      for (;;) {
        try {
          await s.send(await s.recv());
        } catch (err) {
          errors.push(err);
          return;
        }
      }
    });
    const c = await t.dial(l.addr());
    cleanup.push(() => c.close());
    await c.send({ header: {}, body: text("1") });
    await c.recv();
    await sleep(400);
    expect(accepted[0]!.closed).toBe(true);
    expect(errors[0]).toMatchObject({ code: 408, detail: "deadline exceeded" });
    await c.send({ header: {}, body: text("2") });
    expect(untext((await c.recv()).body)).toBe("2");
    expect(accepted).toHaveLength(2);
  });

  it("refuses bodies over the server's max_payload with a 413 naming the limit", async () => {
    const t = open();
    const l = await t.listen(":0");
    cleanup.push(() => l.close());
    const c = await t.dial(l.addr());
    cleanup.push(() => c.close());
    await expect(c.send({ header: {}, body: new Uint8Array(1024 * 1024) })).rejects.toMatchObject({
      code: 413,
      detail: expect.stringMatching(/max_payload/),
    });
  });
});
