// The outbox's turns, on a stand-in client that writes in a microtask as the NATS client does: a
// lone message per turn (a unary request or reply) goes to the client at once and schedules
// nothing; what follows the client's write within the same turn waits for the end of the turn and
// then goes in order.
import type { NatsConnection } from "@nats-io/nats-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Outbox } from "../src/index.js";

/** Records publishes; "writes" once per microtask after the first publish into an empty buffer. */
function standIn() {
  const published: string[] = [];
  let buffered = false;
  let writes = 0;
  const nc = {
    publish(_subject: string, data: Uint8Array) {
      published.push(new TextDecoder().decode(data));
      if (buffered) return;
      buffered = true;
      queueMicrotask(() => {
        buffered = false;
        writes++;
      });
    },
  };
  return { nc: nc as unknown as NatsConnection, published, writes: () => writes };
}

const bytes = (s: string) => new TextEncoder().encode(s);
/** The event loop waits for I/O (a timer), which ends the turn. */
const waitForIO = () => new Promise((r) => setTimeout(r, 2));

describe("outbox turns", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("hands a lone message per turn to the client at once, scheduling nothing", async () => {
    const { nc, published, writes } = standIn();
    const outbox = new Outbox(nc);
    const immediates = vi.spyOn(globalThis, "setImmediate");
    for (let i = 0; i < 5; i++) {
      outbox.push("s", bytes(String(i)));
      expect(published).toEqual(Array.from({ length: i + 1 }, (_, k) => String(k)));
      await waitForIO();
    }
    expect(writes()).toBe(5);
    expect(immediates).not.toHaveBeenCalled();
  });

  it("queues what follows the client's write in the same turn and hands it over at its end", async () => {
    const { nc, published, writes } = standIn();
    const outbox = new Outbox(nc);
    await waitForIO();
    outbox.push("s", bytes("a"));
    await Promise.resolve();
    await Promise.resolve(); // the client has written
    outbox.push("s", bytes("b"));
    outbox.push("s", bytes("c"));
    expect(published).toEqual(["a"]);
    await new Promise((r) => setImmediate(r));
    expect(published).toEqual(["a", "b", "c"]);
    expect(writes()).toBe(2);
    // and the next turn starts direct again
    await waitForIO();
    outbox.push("s", bytes("d"));
    expect(published).toEqual(["a", "b", "c", "d"]);
  });
});
