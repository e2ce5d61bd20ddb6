// closeSend() against servers that end a half-closed stream (ours) and ones that never do (go-micro
// v5.30: the handler returns after reading EOF and nothing more is sent), over a transport that
// shows the server closing (as go-micro's http transport does) and one that does not.
import { afterEach, describe, expect, it } from "vitest";
import {
  type Context,
  createService,
  MicroError,
  type Socket,
  silentLogger,
  type TransportMessage,
} from "../src/index.js";
import { MemoryTransport } from "./support/memory-transport.js";
import { TestBroker, TestRegistry, testSelector } from "./support/stack.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

/** A memory transport under another name; "http" also says it shows the server closing. */
function transportNamed(name: string): MemoryTransport {
  const t = new MemoryTransport();
  Object.defineProperty(t, "name", { value: name });
  if (name === "http") Object.defineProperty(t, "closeVisible", { value: true });
  return t;
}

function world(transportName: string) {
  const registry = new TestRegistry();
  const transport = transportNamed(transportName);
  const selector = testSelector(registry);
  const mk = (name: string) => {
    const s = createService({
      name,
      registry,
      transport,
      broker: new TestBroker(),
      selector,
      argv: [],
      env: {},
      logger: silentLogger,
      address: "127.0.0.1:0",
    });
    cleanup.push(() => s.stop());
    return s;
  };
  return { registry, transport, mk };
}

const eos = (m: TransportMessage) => m.header["Micro-Error"] === "EOS";

/**
 * go-micro v5.30's server, as far as a bidi stream goes (server/rpc_server.go ServeConn, rpc_router.go):
 * the opening frame starts the handler; it echoes each message; at the client's EOS it sends `last`
 * (if any) after `linger` ms and returns, sending nothing else; an EOS for a stream it no longer
 * runs makes it close the connection (after what the handler sent).
 */
async function goLikeServer(transport: MemoryTransport, opts: { last?: unknown; linger?: number } = {}) {
  const listener = await transport.listen(":0");
  const seen = { eos: 0, frames: 0 };
  listener.accept(async (sock: Socket) => {
    const running = new Set<string>();
    const ending = new Set<string>();
    for (;;) {
      let m: TransportMessage;
      try {
        m = await sock.recv();
      } catch {
        return;
      }
      seen.frames++;
      const id = m.header["Micro-Stream"]!;
      const reply = { "Content-Type": "application/json", "Micro-Stream": id };
      if (eos(m)) seen.eos++;
      if (!running.has(id)) {
        if (eos(m)) {
          await sock.close();
          return;
        }
        running.add(id); // the opening frame: its body is discarded
        continue;
      }
      if (eos(m)) {
        // the handler read EOF once; later EOS frames wait unread in its queue
        if (ending.has(id)) continue;
        ending.add(id);
        setTimeout(async () => {
          if (opts.last !== undefined)
            await sock.send({ header: reply, body: Buffer.from(JSON.stringify(opts.last)) }).catch(() => {});
          running.delete(id);
        }, opts.linger ?? 0);
        continue;
      }
      await sock.send({ header: reply, body: m.body });
    }
  });
  cleanup.push(() => listener.close());
  return { address: listener.addr(), seen };
}

const goNode = (address: string, transport: string) => ({
  name: "greeter.go",
  version: "latest",
  endpoints: [],
  nodes: [
    {
      id: "greeter.go-1",
      address,
      metadata: { broker: "http", protocol: "mucp", registry: "mdns", server: "mucp", transport },
    },
  ],
});

const echo = {
  async *echo(_ctx: Context, inbound: AsyncIterable<{ say: string }>) {
    for await (const m of inbound) yield { said: m.say };
    yield { said: "bye" };
  },
};
const echoOpts = { endpoints: { echo: { stream: "bidi" as const } } };

describe("closeSend() to a go-micro server", () => {
  it("ends the stream as soon as the Go handler has returned (its close, answering a repeated EOS)", async () => {
    const { registry, transport, mk } = world("http");
    const go = await goLikeServer(transport, { last: { said: "total 2" }, linger: 150 });
    await registry.register(goNode(go.address, "http"));
    const s = mk("caller").client.stream<{ said: string }, { say: string }>("greeter.go", "Greeter.Echo");
    await s.send({ say: "a" });
    expect(await s.recv()).toEqual({ say: "a" });
    await s.send({ say: "b" });
    const t0 = Date.now();
    await s.closeSend();
    // what the handler sends after reading EOF still arrives, then the end
    expect(await s.recv()).toEqual({ say: "b" });
    expect(await s.recv()).toEqual({ said: "total 2" });
    expect(await s.recv()).toBeUndefined();
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(1000);
    expect(go.seen.eos).toBeGreaterThanOrEqual(2);
    await s.close();
  });

  it("ends promptly when the handler returns at EOF without a word (the interop peer's BidiStream)", async () => {
    const { registry, transport, mk } = world("http");
    const go = await goLikeServer(transport);
    await registry.register(goNode(go.address, "http"));
    const s = mk("caller").client.stream<{ say: string }, { say: string }>("greeter.go", "Greeter.Echo");
    await s.send({ say: "a" });
    expect(await s.recv()).toEqual({ say: "a" });
    const t0 = Date.now();
    await s.closeSend();
    expect(await s.recv()).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(500);
    // the iterator agrees, and close() after the end is quiet
    expect(await s.recv()).toBeUndefined();
    await s.close();
  });

  it("works the same by direct address, where the server's kind is unknown", async () => {
    const { transport, mk } = world("http");
    const go = await goLikeServer(transport);
    const s = mk("caller").client.stream<{ say: string }, { say: string }>(
      "greeter.go",
      "Greeter.Echo",
      undefined,
      {
        address: go.address,
      },
    );
    await s.send({ say: "a" });
    await s.closeSend();
    const got: unknown[] = [];
    const t0 = Date.now();
    for await (const m of s) got.push(m);
    expect(got).toEqual([{ say: "a" }]);
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it("refuses at once, saying why, where the transport cannot show the Go server closing", async () => {
    const { registry, transport, mk } = world("nats");
    const go = await goLikeServer(transport);
    await registry.register(goNode(go.address, "nats"));
    const s = mk("caller").client.stream<{ say: string }, { say: string }>("greeter.go", "Greeter.Echo");
    await s.send({ say: "a" });
    const t0 = Date.now();
    const err = await s.closeSend().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - t0).toBeLessThan(100);
    expect(err).toBeInstanceOf(MicroError);
    expect(err).toMatchObject({ id: "go.micro.client", code: 501, status: "Not Implemented" });
    const detail = (err as MicroError).detail;
    expect(detail).toContain(
      "greeter.go node greeter.go-1 is a go-micro server (its registry record has no micro-ts key)",
    );
    expect(detail).toContain("go-micro servers send no end of stream after a half-close");
    expect(detail).toContain("the nats transport does not show the server closing");
    expect(detail).toContain("use close()");
    // nothing was sent: the stream is still usable both ways
    expect(go.seen.eos).toBe(0);
    await s.send({ say: "b" });
    expect(await s.recv()).toEqual({ say: "a" });
    expect(await s.recv()).toEqual({ say: "b" });
    await s.close();
  });

  it("refuses at once by direct address over such a transport, pointing at the registry", async () => {
    const { transport, mk } = world("nats");
    const go = await goLikeServer(transport);
    const s = mk("caller").client.stream<unknown, { say: string }>("greeter.go", "Greeter.Echo", undefined, {
      address: go.address,
    });
    await s.send({ say: "a" });
    await expect(s.closeSend()).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof MicroError &&
        e.code === 501 &&
        e.detail.includes(`the server at ${go.address} may be a go-micro server`) &&
        e.detail.includes("reach the service through the registry"),
    );
    await s.close();
  });
});

describe("closeSend() to our own server", () => {
  for (const transportName of ["http", "nats"]) {
    it(`keeps full half-close over a "${transportName}" transport, without repeating the EOS`, async () => {
      const { transport, mk } = world(transportName);
      const srv = mk("greeter").handle("Greeter", echo, echoOpts);
      await srv.start();
      let eosFrames = 0;
      const dial = transport.dial.bind(transport);
      transport.dial = async (address: string) => {
        const sock = await dial(address);
        const send = sock.send.bind(sock);
        sock.send = async (m) => {
          if (eos(m)) eosFrames++;
          return send(m);
        };
        return sock;
      };
      const s = mk("caller").client.stream<{ said: string }, { say: string }>("greeter", "Greeter.Echo");
      await s.send({ say: "a" });
      await s.closeSend();
      await new Promise((r) => setTimeout(r, 120));
      expect(await s.recv()).toEqual({ said: "a" });
      expect(await s.recv()).toEqual({ said: "bye" });
      expect(await s.recv()).toBeUndefined();
      expect(eosFrames).toBe(1);
    });
  }

  it("ends cleanly by direct address over http too (probes are harmless to our server)", async () => {
    const { mk } = world("http");
    const srv = mk("greeter").handle("Greeter", echo, echoOpts);
    await srv.start();
    const s = mk("caller").client.stream<{ said: string }, { say: string }>(
      "greeter",
      "Greeter.Echo",
      undefined,
      {
        address: srv.server.address(),
      },
    );
    await s.send({ say: "a" });
    await s.closeSend();
    await new Promise((r) => setTimeout(r, 100));
    expect(await s.recv()).toEqual({ said: "a" });
    expect(await s.recv()).toEqual({ said: "bye" });
    expect(await s.recv()).toBeUndefined();
  });
});
