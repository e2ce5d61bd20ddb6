// Connecting on first use: one attempt shared by everyone who asks meanwhile, a failure forgotten,
// a closed connection replaced, nothing opened before a release kept after it.
import { describe, expect, it } from "vitest";
import { LazyConnection, openNats } from "../src/index.js";

interface Fake {
  id: number;
  closed: boolean;
}

function fakes(fail = 0) {
  let opened = 0;
  let failures = fail;
  const releases: (() => void)[] = [];
  const lazy = new LazyConnection<Fake, [string?]>(
    async () => {
      await new Promise<void>((r) => releases.push(r));
      if (failures-- > 0) throw new Error("connection refused");
      return { id: ++opened, closed: false };
    },
    (f) => f.closed,
  );
  const answer = async () => {
    while (!releases.length) await new Promise((r) => setTimeout(r, 1));
    releases.shift()!();
  };
  return { lazy, answer, opened: () => opened };
}

describe("LazyConnection", () => {
  it("opens nothing until asked, then shares one attempt and keeps its connection", async () => {
    const { lazy, answer, opened } = fakes();
    expect(lazy.current).toBeUndefined();
    const all = Promise.all([lazy.get(), lazy.get(), lazy.get()]);
    await answer();
    const [a, b, c] = await all;
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(await lazy.get()).toBe(a);
    expect(lazy.current).toBe(a);
    expect(opened()).toBe(1);
  });

  it("forgets a failed attempt: the next get tries again", async () => {
    const { lazy, answer } = fakes(1);
    const first = lazy.get();
    await answer();
    await expect(first).rejects.toThrow("connection refused");
    const second = lazy.get();
    await answer();
    expect((await second).id).toBe(1);
  });

  it("replaces a connection that has closed, and forgets one on reset", async () => {
    const { lazy, answer } = fakes();
    const first = lazy.get();
    await answer();
    (await first).closed = true;
    expect(lazy.current).toBeUndefined();
    const second = lazy.get();
    await answer();
    expect((await second).id).toBe(2);
    expect(lazy.reset()?.id).toBe(2);
    expect(lazy.current).toBeUndefined();
  });

  it("passes the arguments of the get that starts an attempt", async () => {
    const seen: (string | undefined)[] = [];
    const lazy = new LazyConnection<Fake, [string]>(
      async (who) => {
        seen.push(who);
        return { id: 1, closed: false };
      },
      (f) => f.closed,
    );
    await Promise.all([lazy.get("server"), lazy.get("client")]);
    expect(seen).toEqual(["server"]);
  });

  it("release waits for an attempt under way and hands over what it opened instead of keeping it", async () => {
    const { lazy, answer } = fakes();
    const attempt = lazy.get();
    const released = lazy.release();
    await answer();
    const opened = await attempt;
    expect(await released).toBe(opened);
    expect(lazy.current).toBeUndefined();
  });
});

describe("openNats", () => {
  it("uses the given connection without dialing", async () => {
    const given = { isClosed: () => false } as never;
    const got = await openNats(
      ["nats://127.0.0.1:9"],
      { connection: given },
      {
        name: "n",
        errorId: "e",
        what: "w",
      },
    );
    expect(got).toBe(given);
  });

  it("dials with the options' attempts and names the one who asked when nobody answers", async () => {
    const err = await openNats(
      ["nats://127.0.0.1:9"],
      { connectAttempts: 1, connectTimeout: 500 },
      {
        name: "micro-test",
        errorId: "go.micro.test",
        what: "nats test",
      },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /^nats test: cannot connect to nats at nats:\/\/127\.0\.0\.1:9 after 1 attempts/,
    );
  });
});
