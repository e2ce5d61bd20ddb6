// The left column of the matrix: a TypeScript client against real go-micro v5 servers, over mdns,
// the http transport and the http broker, inside a private network namespace.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Netns, netnsOrSkip, type Peer } from "./harness.js";

const { ns, reason } = netnsOrSkip();
let a: Peer;
let b: Peer;

beforeAll(async () => {
  if (!ns) return;
  a = ns.spawn("go", ["server", "--name", "greeter.go"]);
  b = ns.spawn("go", ["server", "--name", "greeter.go"]);
  await Promise.all([a.ready(), b.ready()]);
});

afterAll(async () => {
  if (!ns) return;
  await Promise.all([a?.stop(), b?.stop()]);
  ns.delete();
});

const ts = (args: string[]) => (ns as Netns).run("ts", args);
const rpcs = (p: Peer, name: string) => p.lines.filter((l) => l.rpc === name);

describe.skipIf(!ns)(`TS client -> Go server${reason ? ` (skipped: ${reason})` : ""}`, () => {
  it("discovery over mdns: getService sees the Go nodes with go-micro's metadata", async () => {
    const r = await ts(["get", "--service", "greeter.go"]);
    expect(r.code, r.stderr).toBe(0);
    const [svc] = r.lines[0]!.service;
    expect(svc.name).toBe("greeter.go");
    expect(svc.nodes).toHaveLength(2);
    expect(svc.nodes[0].metadata).toMatchObject({
      protocol: "mucp",
      server: "mucp",
      transport: "http",
      registry: "mdns",
    });
    expect(svc.endpoints.map((e: { name: string }) => e.name)).toContain("Greeter.Hello");
    const list = await ts(["services"]);
    expect(list.lines[0]!.services).toContain("greeter.go");
  });

  it("unary, application/json", async () => {
    const r = await ts(["call", "--service", "greeter.go", "--body", '{"name":"John"}']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.lines[0]).toEqual({ msg: "Hello John" });
  });

  it("unary, application/protobuf", async () => {
    const r = await ts([
      "call",
      "--service",
      "greeter.go",
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
    const r = await ts(["stream", "--mode", "server", "--service", "greeter.go", "--count", "4"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.lines).toEqual([{ count: 0 }, { count: 1 }, { count: 2 }, { count: 3 }]);
  });

  it("bidirectional streaming, closed by the client", async () => {
    const r = await ts(["stream", "--mode", "bidi", "--service", "greeter.go", "--count", "3"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.lines).toEqual([{ stroke: 0 }, { stroke: 1 }, { stroke: 2 }]);
  });

  // go-micro v5.30 sends nothing after a half-close once its handler has read EOF and returned; an
  // EOS for a stream it no longer runs makes it close the connection (after flushing what the
  // handler sent): the client repeats its EOS until that close, which ends the stream
  it("half-close: closeSend() then recv() ends as soon as the Go BidiStream handler returns", async () => {
    const r = await ts([
      "stream",
      "--mode",
      "bidi",
      "--service",
      "greeter.go",
      "--count",
      "2",
      "--close-send",
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.lines.slice(0, 2)).toEqual([{ stroke: 0 }, { stroke: 1 }]);
    expect(r.lines[2]).toMatchObject({ end: true });
    expect(r.lines[2]!.ms).toBeLessThan(1000);
    expect(r.lines).toHaveLength(3);
  });

  it("half-close: a Go client-streaming handler's answer after EOF arrives, then the end", async () => {
    const r = await ts([
      "stream",
      "--mode",
      "bidi",
      "--service",
      "greeter.go",
      "--endpoint",
      "Tally.Sum",
      "--count",
      "4",
      "--no-echo",
      "--close-send",
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.lines[0]).toEqual({ stroke: 6 });
    expect(r.lines[1]).toMatchObject({ end: true });
    // Tally.Sum thinks 200 ms after the EOS; the end follows its answer, not a timeout
    expect(r.lines[1]!.ms).toBeGreaterThanOrEqual(190);
    expect(r.lines[1]!.ms).toBeLessThan(1500);
    expect(r.lines).toHaveLength(2);
  });

  it("half-close by direct address (no registry record) ends the same way", async () => {
    const ready = await a.ready();
    const r = await ts([
      "stream",
      "--mode",
      "bidi",
      "--service",
      "greeter.go",
      "--address",
      ready.address,
      "--count",
      "1",
      "--close-send",
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.lines[0]).toEqual({ stroke: 0 });
    expect(r.lines[1]).toMatchObject({ end: true });
    expect(r.lines[1]!.ms).toBeLessThan(1000);
  });

  it("router errors from a Go server reach a TS client as go-micro's plain text", async () => {
    const call = (endpoint: string) => ts(["call", "--service", "greeter.go", "--endpoint", endpoint]);
    expect((await call("Greeter.Nope")).lines[0]).toEqual({
      error: { detail: "rpc: can't find method Nope" },
    });
    expect((await call("Nope.Hello")).lines[0]).toEqual({
      error: { detail: "rpc: can't find service Nope" },
    });
  });

  it("error with code/detail round-trips as a MicroError", async () => {
    const r = await ts([
      "call",
      "--service",
      "greeter.go",
      "--endpoint",
      "Greeter.Fail",
      "--body",
      '{"name":"409"}',
    ]);
    expect(r.code).toBe(1);
    expect(r.lines[0]).toEqual({
      error: { id: "greeter.go", code: 409, detail: "failed: 409", status: "Conflict" },
    });
  });

  it("metadata reaches the Go handler as headers", async () => {
    const r = await ts([
      "call",
      "--service",
      "greeter.go",
      "--body",
      '{"name":"Meta"}',
      "--metadata",
      "X-Test-Header=abc",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines[0]).toEqual({ msg: "Hello Meta [X-Test-Header=abc]" });
  });

  it("a 408 from a Go node is retried on the other Go node", async () => {
    const before = rpcs(a, "Greeter.Fail").length + rpcs(b, "Greeter.Fail").length;
    const ha = rpcs(a, "Greeter.Fail").length;
    const hb = rpcs(b, "Greeter.Fail").length;
    const r = await ts([
      "call",
      "--service",
      "greeter.go",
      "--endpoint",
      "Greeter.Fail",
      "--body",
      '{"name":"408"}',
      "--retries",
      "3",
    ]);
    expect(r.lines[0]!.error).toMatchObject({ code: 408 });
    await new Promise((res) => setTimeout(res, 100));
    expect(rpcs(a, "Greeter.Fail").length + rpcs(b, "Greeter.Fail").length - before).toBe(4);
    expect(rpcs(a, "Greeter.Fail").length).toBeGreaterThan(ha);
    expect(rpcs(b, "Greeter.Fail").length).toBeGreaterThan(hb);
  });

  it("pub/sub over the http broker: broadcast reaches every Go subscriber", async () => {
    const r = await ts(["publish", "--topic", "events.go", "--body", '{"id":"b1","message":"to all"}']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const got = await Promise.all(
      [a, b].map((p) => p.waitFor((l) => l.topic === "events.go" && l.id === "b1")),
    );
    for (const ev of got) {
      expect(ev.message).toBe("to all");
      expect(ev.headers["Content-Type"]).toBe("application/json");
      expect(ev.headers["Micro-Topic"]).toBe("events.go");
      expect(ev.headers["Micro-ID"]).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("pub/sub over the http broker: a queue group gets each message once", async () => {
    for (const id of ["q1", "q2", "q3"]) {
      const r = await ts([
        "publish",
        "--topic",
        "events.go.q",
        "--body",
        `{"id":"${id}","message":"one of you"}`,
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    await new Promise((res) => setTimeout(res, 500));
    const seen = [a, b]
      .flatMap((p) => p.lines.filter((l) => l.topic === "events.go.q").map((l) => l.id))
      .sort();
    expect(seen).toEqual(["q1", "q2", "q3"]);
  });
});
