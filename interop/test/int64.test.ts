// int64 and uint64 beyond 2^53 in plain JSON (Go's encoding/json writes them as bare numbers), both
// directions, against the real Go peer: Numbers.Echo on `--numbers` servers, untyped on the TS side.
// Values are checked on the raw stdout text: JSON.parse in the harness would round them again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Netns, netnsOrSkip, type Peer } from "./harness.js";

const { ns, reason } = netnsOrSkip();
let goServer: Peer;
let tsServer: Peer;

beforeAll(async () => {
  if (!ns) return;
  goServer = ns.spawn("go", ["server", "--name", "int64.go", "--numbers"]);
  tsServer = ns.spawn("ts", ["server", "--name", "int64.ts", "--numbers"]);
  await Promise.all([goServer.ready(), tsServer.ready()]);
});

afterAll(async () => {
  if (!ns) return;
  await Promise.all([goServer?.stop(), tsServer?.stop()]);
  ns.delete();
});

const INTS = "[42,9007199254740991,9007199254740993,-9223372036854775807,-9223372036854775808]";
const UINTS = "[18446744073709551615]";
const BODY = `{"ints":${INTS},"uints":${UINTS}}`;
const INT_KINDS = ["number", "number", "bigint", "bigint", "bigint"];
const run = (kind: "go" | "ts" | "micro", args: string[]) => (ns as Netns).run(kind, args);
const rpcLines = (p: Peer) => p.stdout.split("\n").filter((l) => l.includes('"rpc":"Numbers.Echo"'));

describe.skipIf(!ns)(`int64 beyond 2^53 in plain JSON${reason ? ` (skipped: ${reason})` : ""}`, () => {
  it("Go client -> TS server: the TS handler gets exact bigints and Go reads back what it sent", async () => {
    const before = rpcLines(tsServer).length;
    const r = await run("go", [
      "call",
      "--service",
      "int64.ts",
      "--endpoint",
      "Numbers.Echo",
      "--body",
      BODY,
    ]);
    // a rounded reply fails in Go itself: cannot unmarshal number -9223372036854776000 into int64
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(BODY);
    const seen = rpcLines(tsServer).slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain(`"request":${BODY}`);
    expect(JSON.parse(seen[0]!).kinds).toEqual({ ints: INT_KINDS, uints: ["bigint"] });
  });

  it("go-micro's `micro call` (a bytes.Frame) -> TS server: the reply keeps every digit", async () => {
    const r = await run("micro", ["call", "int64.ts", "Numbers.Echo", BODY]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.replace(/\s+/g, "")).toBe(BODY);
  });

  it("TS client -> Go server: exact bigints come back, and go back to Go exactly", async () => {
    const before = rpcLines(goServer).length;
    const r = await run("ts", ["numbers", "--service", "int64.go", "--body", BODY]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(
      `{"first":${BODY},"second":${BODY},"kinds":{"ints":${JSON.stringify(INT_KINDS)},"uints":["bigint"]}}`,
    );
    // what Go decoded into int64/uint64 and printed with encoding/json, for both calls
    const seen = rpcLines(goServer).slice(before);
    expect(seen).toHaveLength(2);
    for (const line of seen) expect(line).toContain(`"request":${BODY}`);
  });
});
