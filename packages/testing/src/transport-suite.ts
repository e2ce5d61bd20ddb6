// The conformance suite every Transport runs: framing (headers and bodies survive exactly), ordering,
// independence of sockets, and the EOF/close semantics the RPC layer relies on. Every test opens its
// own listener; sockets and listeners are closed after each test even when it fails.
import { randomBytes } from "node:crypto";
import { isMicroError, type Listener, type Socket, type Transport, type TransportMessage } from "@micro/core";
import { afterEach, describe, expect, it } from "vitest";

export interface TransportUnderTest {
  transport: Transport;
  /** Where to listen, e.g. `127.0.0.1:0`. */
  address: string;
}

export interface TransportCapabilities {
  /** Body size of the large-message test in bytes (default 4 MiB; false skips it). */
  largeBody?: number | false;
  /** Messages each way in the many-messages test (default 500). */
  bulk?: number;
  /** Sockets in the concurrency test (default 16). */
  concurrency?: number;
  /** ms to wait for anything expected (default 5000). */
  timeout?: number;
  /**
   * What listener and socket addresses look like (default "host-port"). "opaque" is for transports
   * whose addresses are names, not sockets (go-micro's NATS transport listens on a subject): the
   * host:port checks are skipped, and the suite only requires addresses to be non-empty strings.
   */
  addresses?: "host-port" | "opaque";
}

export type TransportFactory = () => TransportUnderTest | Promise<TransportUnderTest>;

const text = (s: string) => new TextEncoder().encode(s);
const untext = (b: Uint8Array) => new TextDecoder().decode(b);

/** Answers every message with the same headers and body until the peer goes away. */
async function echo(socket: Socket): Promise<void> {
  for (;;) {
    let m: TransportMessage;
    try {
      m = await socket.recv();
    } catch {
      await socket.close();
      return;
    }
    await socket.send({ header: m.header, body: m.body }).catch(() => {});
  }
}

function expectEOF(err: unknown): void {
  expect(isMicroError(err), `expected a MicroError, got ${String(err)}`).toBe(true);
  if (!isMicroError(err)) return;
  expect(err.code).toBe(500);
  expect(err.detail).toBe("EOF");
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the promise to reject");
}

export function testTransport(
  name: string,
  factory: TransportFactory,
  capabilities: TransportCapabilities = {},
): void {
  const timeout = capabilities.timeout ?? 5000;
  const bulk = capabilities.bulk ?? 500;
  const concurrency = capabilities.concurrency ?? 16;
  const large = capabilities.largeBody ?? 4 * 1024 * 1024;
  const hostPort = (capabilities.addresses ?? "host-port") === "host-port";
  const addressLike = hostPort ? /:\d+$/ : /\S/;

  describe(`transport conformance: ${name}`, () => {
    const listeners: Listener[] = [];
    const sockets: Socket[] = [];
    const transports: Transport[] = [];

    afterEach(async () => {
      await Promise.all(sockets.splice(0).map((s) => s.close().catch(() => {})));
      await Promise.all(listeners.splice(0).map((l) => l.close().catch(() => {})));
      await Promise.all(transports.splice(0).map((t) => t.close?.().catch(() => {})));
    });

    /** A listener whose accepted sockets go to `onSocket` (default: echo), and a way to dial it. */
    async function setup(onSocket: (s: Socket) => void = (s) => void echo(s)) {
      const { transport, address } = await factory();
      transports.push(transport);
      const listener = await transport.listen(address);
      listeners.push(listener);
      const accepted: Socket[] = [];
      listener.accept((s) => {
        sockets.push(s);
        accepted.push(s);
        onSocket(s);
      });
      const dial = async () => {
        const s = await transport.dial(listener.addr(), { stream: true });
        sockets.push(s);
        return s;
      };
      return { transport, listener, dial, accepted };
    }

    /** Resolves the first socket accepted by a setup() that does not echo. */
    function serverSide() {
      let resolve!: (s: Socket) => void;
      const first = new Promise<Socket>((r) => {
        resolve = r;
      });
      return { first, onSocket: (s: Socket) => resolve(s) };
    }

    const portTitle = "binds a concrete port and reports it as host:port";
    if (hostPort) {
      it(portTitle, async () => {
        const { listener } = await setup();
        expect(listener.addr()).toMatch(/:\d+$/);
        expect(Number(listener.addr().split(":").pop())).toBeGreaterThan(0);
      });
    } else {
      it.skip(`${portTitle} [skipped: addresses are opaque for this transport]`, () => {});
      it("gives every listener its own non-empty address", async () => {
        const [a, b] = [await setup(), await setup()];
        expect(a.listener.addr()).toMatch(/\S/);
        expect(a.listener.addr()).not.toBe(b.listener.addr());
      });
    }

    it(
      "echoes one message: headers and body arrive intact",
      async () => {
        const { dial } = await setup();
        const client = await dial();
        const header = {
          "Content-Type": "application/json",
          "Micro-Endpoint": "Greeter.Hello",
          "Micro-Id": "1",
        };
        await client.send({ header, body: text('{"name":"John"}\n') });
        const reply = await client.recv();
        expect(untext(reply.body)).toBe('{"name":"John"}\n');
        expect(reply.header).toMatchObject(header);
        expect(client.local).toMatch(addressLike);
        expect(client.remote).toMatch(addressLike);
        expect(client.closed).toBe(false);
      },
      timeout,
    );

    it(
      "carries arbitrary binary bodies",
      async () => {
        const { dial } = await setup();
        const client = await dial();
        const body = new Uint8Array(256 * 4);
        for (let i = 0; i < body.length; i++) body[i] = i % 256;
        await client.send({ header: {}, body });
        expect(Buffer.from((await client.recv()).body).equals(Buffer.from(body))).toBe(true);
      },
      timeout,
    );

    it(
      "carries empty bodies both ways",
      async () => {
        const { dial } = await setup();
        const client = await dial();
        await client.send({ header: { "Micro-Error": "EOS" }, body: new Uint8Array(0) });
        const reply = await client.recv();
        expect(reply.body.length).toBe(0);
        expect(reply.header["Micro-Error"]).toBe("EOS");
      },
      timeout,
    );

    if (large !== false) {
      it(
        `carries a large body (${large} bytes) both ways`,
        async () => {
          const { dial } = await setup();
          const client = await dial();
          const body = randomBytes(large);
          await client.send({ header: { "Content-Type": "application/octet-stream" }, body });
          const reply = await client.recv();
          expect(reply.body.length).toBe(large);
          expect(Buffer.from(reply.body).equals(body)).toBe(true);
        },
        timeout * 2,
      );
    }

    it(
      `keeps order of many messages each way on one socket (${bulk})`,
      async () => {
        const { dial } = await setup();
        const client = await dial();
        const sends: Promise<void>[] = [];
        for (let i = 0; i < bulk; i++)
          sends.push(client.send({ header: { "Micro-Id": String(i) }, body: text(`m${i}`) }));
        await Promise.all(sends);
        for (let i = 0; i < bulk; i++) {
          const m = await client.recv();
          expect(untext(m.body)).toBe(`m${i}`);
          expect(m.header["Micro-Id"]).toBe(String(i));
        }
      },
      timeout,
    );

    it(
      "lets the server send several messages for one, and without a pending request (streams)",
      async () => {
        const side = serverSide();
        const { dial } = await setup(side.onSocket);
        const client = await dial();
        await client.send({ header: { "Micro-Stream": "7" }, body: text("{}\n") });
        await client.send({ header: { "Micro-Stream": "7" }, body: text('{"count":3}\n') });
        const server = await side.first;
        expect(untext((await server.recv()).body)).toBe("{}\n");
        expect(untext((await server.recv()).body)).toBe('{"count":3}\n');
        for (let i = 0; i < 3; i++) await server.send({ header: {}, body: text(`{"count":${i}}\n`) });
        await server.send({ header: { "Micro-Error": "EOS" }, body: new Uint8Array(0) });
        for (let i = 0; i < 3; i++) expect(untext((await client.recv()).body)).toBe(`{"count":${i}}\n`);
        expect((await client.recv()).header["Micro-Error"]).toBe("EOS");
        // and the server may speak first on a fresh exchange
        await server.send({ header: {}, body: text("unprompted") });
        expect(untext((await client.recv()).body)).toBe("unprompted");
      },
      timeout,
    );

    it(
      "a recv() waiting before the message arrives gets it",
      async () => {
        const side = serverSide();
        const { dial } = await setup(side.onSocket);
        const client = await dial();
        const pending = client.recv();
        await client.send({ header: {}, body: text("ping") });
        const server = await side.first;
        expect(untext((await server.recv()).body)).toBe("ping");
        await server.send({ header: {}, body: text("pong") });
        expect(untext((await pending).body)).toBe("pong");
      },
      timeout,
    );

    it(
      `keeps ${concurrency} concurrent sockets apart`,
      async () => {
        const { dial } = await setup();
        const clients = await Promise.all(Array.from({ length: concurrency }, () => dial()));
        await Promise.all(
          clients.map(async (c, n) => {
            for (let i = 0; i < 50; i++) {
              await c.send({ header: { "X-Client": String(n) }, body: text(`${n}:${i}`) });
              const m = await c.recv();
              expect(untext(m.body)).toBe(`${n}:${i}`);
              expect(m.header["X-Client"]).toBe(String(n));
            }
          }),
        );
      },
      timeout * 2,
    );

    it(
      "server closing: the client's recv() rejects with an EOF MicroError",
      async () => {
        const side = serverSide();
        const { dial } = await setup(side.onSocket);
        const client = await dial();
        await client.send({ header: {}, body: text("hello") });
        const server = await side.first;
        await server.recv();
        const pending = rejection(client.recv());
        await server.close();
        expectEOF(await pending);
        expectEOF(await rejection(client.recv()));
        await expect.poll(() => client.closed, { timeout }).toBe(true);
      },
      timeout,
    );

    it(
      "client closing: the server's recv() rejects with an EOF MicroError",
      async () => {
        const side = serverSide();
        const { dial } = await setup(side.onSocket);
        const client = await dial();
        await client.send({ header: {}, body: text("bye") });
        const server = await side.first;
        expect(untext((await server.recv()).body)).toBe("bye");
        await client.close();
        expectEOF(await rejection(server.recv()));
        await expect.poll(() => server.closed, { timeout }).toBe(true);
      },
      timeout,
    );

    it(
      "messages sent before a close are still delivered, then EOF",
      async () => {
        const side = serverSide();
        const { dial } = await setup(side.onSocket);
        const client = await dial();
        await client.send({ header: {}, body: text("first") });
        const server = await side.first;
        await server.recv();
        await server.send({ header: {}, body: text("a") });
        await server.send({ header: {}, body: text("b") });
        await server.close();
        expect(untext((await client.recv()).body)).toBe("a");
        expect(untext((await client.recv()).body)).toBe("b");
        expectEOF(await rejection(client.recv()));
      },
      timeout,
    );

    it(
      "close(): idempotent, marks closed, fails pending and later recv() and send()",
      async () => {
        const { dial } = await setup();
        const client = await dial();
        const pending = rejection(client.recv());
        await client.close();
        await client.close();
        expect(client.closed).toBe(true);
        expect(isMicroError(await pending)).toBe(true);
        expect(isMicroError(await rejection(client.recv()))).toBe(true);
        await expect(client.send({ header: {}, body: text("late") })).rejects.toBeDefined();
      },
      timeout,
    );

    it(
      "listener close stops new connections but leaves open sockets working",
      async () => {
        const { dial, listener, transport } = await setup();
        const client = await dial();
        const addr = listener.addr();
        await listener.close();
        await client.send({ header: {}, body: text("still here") });
        expect(untext((await client.recv()).body)).toBe("still here");
        let refused = false;
        try {
          const s = await transport.dial(addr, { timeout: 1000 });
          sockets.push(s);
          await s.send({ header: {}, body: text("x") });
          await s.recv();
        } catch {
          refused = true;
        }
        expect(refused).toBe(true);
      },
      timeout,
    );

    it(
      "dialing an address nobody listens on rejects",
      async () => {
        const { transport, listener } = await setup();
        const addr = listener.addr();
        await listener.close();
        await expect(transport.dial(addr, { timeout: 1000 })).rejects.toBeDefined();
      },
      timeout,
    );
  });
}
