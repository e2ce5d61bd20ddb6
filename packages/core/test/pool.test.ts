// The connection pool lets idle connections stop holding the process (a finished script ends) and
// makes a connection hold it again while a call uses it.
import { describe, expect, it } from "vitest";
import { ConnectionPool } from "../src/client/pool.js";
import type { Socket, Transport } from "../src/transport.js";

function fakeSocket(holds: string[]): Socket & { ref(): void; unref(): void } {
  return {
    local: "127.0.0.1:1",
    remote: "127.0.0.1:2",
    closed: false,
    send: async () => {},
    recv: () => new Promise(() => {}),
    close: async () => {},
    ref: () => void holds.push("ref"),
    unref: () => void holds.push("unref"),
  };
}

describe("connection pool", () => {
  it("unrefs a connection while it is idle and refs it when a call takes it", async () => {
    const holds: string[] = [];
    const transport: Transport = {
      name: "fake",
      listen: () => Promise.reject(new Error("no")),
      dial: async () => fakeSocket(holds),
    };
    const pool = new ConnectionPool(transport, { size: 2, ttl: 60_000 });
    const socket = await pool.get("127.0.0.1:2", 1000);
    expect(holds).toEqual([]); // dialed for a call: holds the process as any socket does
    pool.release("127.0.0.1:2", socket);
    expect(holds).toEqual(["unref"]);
    expect(pool.take("127.0.0.1:2")).toBe(socket);
    expect(holds).toEqual(["unref", "ref"]);
  });

  it("works with sockets that cannot say", async () => {
    const { ref: _r, unref: _u, ...plain } = fakeSocket([]);
    const pool = new ConnectionPool(
      { name: "fake", listen: () => Promise.reject(new Error("no")), dial: async () => plain },
      { size: 2, ttl: 60_000 },
    );
    pool.release("a:1", await pool.get("a:1", 1000));
    expect(pool.take("a:1")).toBe(plain);
  });
});
