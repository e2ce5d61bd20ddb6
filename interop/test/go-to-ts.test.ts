// The right column of the matrix: real go-micro v5 clients (our Go peer and go-micro's `micro` CLI)
// against TypeScript servers, inside a private network namespace.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Netns, netnsOrSkip, type Peer } from "./harness.js";

const { ns, reason } = netnsOrSkip();
let a: Peer;
let b: Peer; // answers a first Hello attempt with 408: Go clients must retry

beforeAll(async () => {
  if (!ns) return;
  a = ns.spawn("ts", ["server", "--name", "greeter.ts"]);
  b = ns.spawn("ts", ["server", "--name", "greeter.ts", "--fail408"]);
  await Promise.all([a.ready(), b.ready()]);
});

afterAll(async () => {
  if (!ns) return;
  await Promise.all([a?.stop(), b?.stop()]);
  ns.delete();
});

const go = (args: string[]) => (ns as Netns).run("go", args);
const micro = (args: string[]) => (ns as Netns).run("micro", args);
const rpcs = (p: Peer, name: string) => p.lines.filter((l) => l.rpc === name);

describe.skipIf(!ns)(`Go client -> TS server${reason ? ` (skipped: ${reason})` : ""}`, () => {
  it("discovery over mdns: `micro services` lists the TS service", async () => {
    const r = await micro(["services"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split(/\s+/)).toContain("greeter.ts");
  });

  it("unary, application/json (retried past the 408 node when it is picked)", async () => {
    const r = await go(["call", "--service", "greeter.ts", "--body", '{"name":"John"}']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.lines[0]).toEqual({ msg: "Hello John" });
  });

  it("unary, application/protobuf", async () => {
    const r = await go([
      "call",
      "--service",
      "greeter.ts",
      "--body",
      '{"name":"Proto"}',
      "--content-type",
      "application/protobuf",
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.lines[0]).toEqual({ msg: "Hello Proto" });
    const seen = [...rpcs(a, "Greeter.Hello"), ...rpcs(b, "Greeter.Hello")].map(
      (l) => l.headers["Content-Type"],
    );
    expect(seen).toContain("application/protobuf");
  });

  it("server streaming", async () => {
    const r = await go(["stream", "--mode", "server", "--service", "greeter.ts", "--count", "4"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.lines).toEqual([{ count: 0 }, { count: 1 }, { count: 2 }, { count: 3 }]);
  });

  it("bidirectional streaming, closed by the Go client", async () => {
    const r = await go(["stream", "--mode", "bidi", "--service", "greeter.ts", "--count", "3"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.lines).toEqual([{ stroke: 0 }, { stroke: 1 }, { stroke: 2 }]);
  });

  it("bidirectional streaming, closed by the server (TS client, TS server)", async () => {
    const r = await (ns as Netns).run("ts", [
      "stream",
      "--mode",
      "bidi",
      "--service",
      "greeter.ts",
      "--count",
      "2",
      "--server-closes",
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.lines).toEqual([{ stroke: 0 }, { stroke: 1 }, { end: true }]);
  });

  it("router errors: a Go client gets from a TS server exactly what a Go server says", async () => {
    const goServer = (ns as Netns).spawn("go", ["server", "--name", "greeter.errors.go"]);
    try {
      await goServer.ready();
      for (const endpoint of ["Greeter.Nope", "Nope.Hello", "Greeter", "Greeter.Hello.X"]) {
        const [fromTs, fromGo] = await Promise.all(
          ["greeter.ts", "greeter.errors.go"].map((service) =>
            go(["call", "--service", service, "--endpoint", endpoint, "--raw", "--body", "{}"]),
          ),
        );
        expect(fromTs.code, fromTs.stdout + fromTs.stderr).toBe(1);
        expect(fromTs.lines, endpoint).toEqual(fromGo.lines);
      }
      const r = await go(["call", "--service", "greeter.ts", "--endpoint", "Greeter.Nope"]);
      expect(r.lines[0]).toEqual({ error: { detail: "rpc: can't find method Nope" } });
      // a body the codec cannot read: the codec's own words (JS's, not Go's), but the same shape
      const [badTs, badGo] = await Promise.all(
        ["greeter.ts", "greeter.errors.go"].map((service) =>
          go(["call", "--service", service, "--endpoint", "Greeter.Hello", "--raw", "--body", '{"name":']),
        ),
      );
      expect(Object.keys(badTs.lines[0]!.error)).toEqual(["detail"]);
      expect(Object.keys(badGo.lines[0]!.error)).toEqual(["detail"]);
    } finally {
      await goServer.stop();
    }
  });

  it("error with code/detail round-trips as a go-micro error", async () => {
    const r = await go([
      "call",
      "--service",
      "greeter.ts",
      "--endpoint",
      "Greeter.Fail",
      "--body",
      '{"name":"409"}',
    ]);
    expect(r.code).toBe(1);
    expect(r.lines[0]).toEqual({
      error: { id: "greeter.ts", code: 409, detail: "failed: 409", status: "Conflict" },
    });
  });

  it("metadata from a Go client reaches the TS handler", async () => {
    const r = await go([
      "call",
      "--service",
      "greeter.ts",
      "--body",
      '{"name":"Meta"}',
      "--metadata",
      "X-Test-Header=abc",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines[0]).toEqual({ msg: "Hello Meta [X-Test-Header=abc]" });
    const seen = [...rpcs(a, "Greeter.Hello"), ...rpcs(b, "Greeter.Hello")].find(
      (l) => l.request.name === "Meta",
    );
    expect(seen!.headers).toMatchObject({
      "X-Test-Header": "abc",
      "Micro-Service": "greeter.ts",
      "Micro-Endpoint": "Greeter.Hello",
    });
  });

  it("Go retries a 408 from one TS node and reaches the second TS node", async () => {
    // node b answers the first attempt of each request name with a 408; go-micro picks nodes at
    // random, so call until a request that b refused was then served by a
    const served = (p: Peer, n: string) => rpcs(p, "Greeter.Hello").some((l) => l.request.name === n);
    let crossed = false;
    for (let i = 0; i < 30 && !crossed; i++) {
      const name = `R${i}`;
      const r = await go(["call", "--service", "greeter.ts", "--body", `{"name":"${name}"}`]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.lines[0]).toEqual({ msg: `Hello ${name}` });
      crossed = served(b, name) && served(a, name);
    }
    expect(crossed).toBe(true);
  });

  it("pub/sub over the http broker: a Go publication reaches every TS subscriber", async () => {
    const r = await go(["publish", "--topic", "events.ts", "--body", '{"id":"g1","message":"from go"}']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const got = await Promise.all(
      [a, b].map((p) => p.waitFor((l) => l.topic === "events.ts" && l.id === "g1")),
    );
    for (const ev of got) {
      expect(ev.message).toBe("from go");
      expect(ev.headers).toMatchObject({ "Content-Type": "application/json", "Micro-Topic": "events.ts" });
    }
  });

  it("pub/sub over the http broker: a queue group gets each Go publication once", async () => {
    for (const id of ["gq1", "gq2", "gq3"]) {
      const r = await go([
        "publish",
        "--topic",
        "events.ts.q",
        "--body",
        `{"id":"${id}","message":"one of you"}`,
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    await new Promise((res) => setTimeout(res, 500));
    const seen = [a, b]
      .flatMap((p) => p.lines.filter((l) => l.topic === "events.ts.q").map((l) => l.id))
      .sort();
    expect(seen).toEqual(["gq1", "gq2", "gq3"]);
  });

  it("`micro call` reaches a TS service", async () => {
    const r = await micro(["call", "greeter.ts", "Greeter.Hello", '{"name":"CLI"}']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ msg: "Hello CLI" });
  });
});
