// recvInto: the callback form of recv() the RPC client uses. Same messages in the same order as
// recv(), the same EOF at the end, and the transport's read deadline still applies.
import type { Socket, TransportMessage } from "@micro/core";
import { hasRecvInto } from "@micro/core/plugin-kit";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, listenHttp, onCleanup, text, untext } from "./helpers.js";

afterEach(cleanup);

const recvInto = (s: Socket) => {
  if (!hasRecvInto(s)) throw new Error("the http transport's sockets must offer recvInto");
  return new Promise<TransportMessage>((resolve, reject) => s.recvInto(resolve, reject));
};

describe("HttpSocket.recvInto", () => {
  it("hands out queued and later messages in order, mixed with recv(), then EOF", async () => {
    const { transport, address, next } = await listenHttp();
    const client = await transport.dial(address);
    onCleanup(() => client.close());
    expect(hasRecvInto(client)).toBe(true);
    for (const n of ["1", "2", "3"]) await client.send({ header: { N: n }, body: text(n) });
    const server = await next();
    await new Promise((r) => setTimeout(r, 20)); // all three are queued now
    const got = [await recvInto(server), await server.recv(), await recvInto(server)];
    expect(got.map((m) => [m.header.N, untext(m.body)])).toEqual([
      ["1", "1"],
      ["2", "2"],
      ["3", "3"],
    ]);
    const waiting = recvInto(server);
    await client.send({ header: { N: "4" }, body: text("4") });
    expect((await waiting).header.N).toBe("4");
    const eof = recvInto(server);
    await client.close();
    await expect(eof).rejects.toMatchObject({ detail: expect.stringContaining("EOF") });
  });

  it("rejects with a timeout when nothing arrives within the transport's deadline", async () => {
    const { transport, address, next } = await listenHttp({ timeout: 50 });
    const client = await transport.dial(address);
    onCleanup(() => client.close());
    await client.send({ header: {}, body: text("x") });
    const server = await next();
    expect(untext((await recvInto(server)).body)).toBe("x");
    const started = Date.now();
    await expect(recvInto(server)).rejects.toMatchObject({ code: 408 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });
});
