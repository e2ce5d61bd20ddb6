// Our gateway (`micro api` of our CLI, a real process) in front of a real go-micro v5.30 service
// (interop's Go peer), found over mdns: what a browser or curl sees for every kind of call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  http,
  type Proc,
  prerequisites,
  skipOrFail,
  sleep,
  startGoPeer,
  startOurGateway,
  stopAll,
  unique,
  until,
  WsSession,
} from "./support/go-interop.js";

const missing = prerequisites(["goPeer", "cli"]);
const go = unique("gw-go");
let gw: { proc: Proc; url: string };
/** Set when mdns does not carry the Go peer's record to our gateway here: the tests skip with it. */
let noMdns: string | undefined;

/** Waits until the gateway's registry has the service (GET /api/{service} describes it). */
async function discovered(url: string, service: string, ms = 10_000): Promise<boolean> {
  try {
    await until(
      async () => (await http(`${url}/api/${service}`)).status === 200,
      `${service} in the registry`,
      undefined,
      ms,
    );
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(missing)(
  `gateway in front of a go-micro service${missing ? ` — skipped: ${missing}` : ""}`,
  () => {
    beforeAll(async () => {
      // --numbers: the plain-JSON Numbers.Echo handler (int64/uint64 as bare JSON numbers)
      await startGoPeer(go, ["--numbers"]);
      // a short call timeout so the 408 test is quick
      gw = await startOurGateway("api", ["--timeout", "1s"]);
      if (!(await discovered(gw.url, go))) noMdns = skipOrFail(`our gateway never saw ${go} over mdns`);
    }, 40_000);
    afterAll(stopAll, 15_000);

    const api = (endpoint: string, body: string, headers?: Record<string, string>) =>
      http(`${gw.url}/api/${go}/${endpoint}`, { body, ...(headers ? { headers } : {}) });
    const ws = (endpoint: string) => WsSession.open(`${gw.url.replace("http", "ws")}/api/${go}/${endpoint}`);

    it("unary JSON → JSON, with an HTTP header reaching the Go handler as metadata", async (ctx) => {
      if (noMdns) return ctx.skip();
      const r = await api("Greeter.Hello", '{"name":"John"}', { "X-Test-Header": "from-http" });
      expect(r.status).toBe(200);
      expect(r.type).toBe("application/json");
      // the Go service's reply bytes as they are (its json codec ends them with a newline)
      expect(r.text).toBe('{"msg":"Hello John [X-Test-Header=from-http]"}\n');
      // the /{Handler}/{Method} spelling goes to the same endpoint
      const r2 = await api("Greeter/Hello", '{"name":"Ann"}');
      expect([r2.status, r2.text]).toEqual([200, '{"msg":"Hello Ann"}\n']);
    });

    it("the same call by POST /rpc and by the v5 `micro api` path /{service}/{Handler.Method}", async (ctx) => {
      if (noMdns) return ctx.skip();
      const rpc = await http(`${gw.url}/rpc`, {
        body: JSON.stringify({ service: go, endpoint: "Greeter.Hello", request: { name: "Rpc" } }),
      });
      expect([rpc.status, rpc.text]).toEqual([200, '{"msg":"Hello Rpc"}\n']);
      const v5 = await http(`${gw.url}/${go}/Greeter.Hello`, { body: '{"name":"V5"}' });
      expect([v5.status, v5.text]).toEqual([200, '{"msg":"Hello V5"}\n']);
      // /rpc re-serialises `request`: its numbers must still keep every digit
      const big = await http(`${gw.url}/rpc`, {
        body: `{"service":"${go}","endpoint":"Numbers.Echo","request":{"ints":[9007199254740993],"uints":[18446744073709551615]}}`,
      });
      expect([big.status, big.text]).toEqual([
        200,
        '{"ints":[9007199254740993],"uints":[18446744073709551615]}\n',
      ]);
    });

    it("a go-micro error keeps its status and its error JSON", async (ctx) => {
      if (noMdns) return ctx.skip();
      const r = await api("Greeter.Fail", '{"name":"409"}');
      expect(r.status).toBe(409);
      expect(r.type).toBe("application/json");
      expect(JSON.parse(r.text)).toEqual({ id: go, code: 409, detail: "failed: 409", status: "Conflict" });
    });

    it("an unknown endpoint → 404 micro error carrying go-micro's router text", async (ctx) => {
      if (noMdns) return ctx.skip();
      const r = await api("Greeter.Nope", "{}");
      expect(r.status).toBe(404);
      expect(JSON.parse(r.text)).toEqual({
        id: "go.micro.api",
        code: 404,
        detail: "rpc: can't find method Nope",
        status: "Not Found",
      });
      const svc = await http(`${gw.url}/api/${go}-absent/Greeter.Hello`, { body: "{}" });
      expect(svc.status).toBe(404);
      expect(JSON.parse(svc.text)).toMatchObject({ code: 404, status: "Not Found" });
    });

    it("a call beyond --timeout → 408, never a hang", async (ctx) => {
      if (noMdns) return ctx.skip();
      const r = await api("Greeter.Slow", '{"name":"4000"}');
      expect(r.status).toBe(408);
      expect(JSON.parse(r.text)).toMatchObject({ code: 408, status: "Request Timeout" });
      expect(r.ms).toBeLessThan(3000);
    });

    it("server stream over WebSocket: N frames, then close 1000", async (ctx) => {
      if (noMdns) return ctx.skip();
      const s = await ws("Greeter.ServerStream");
      s.send('{"count":3}');
      expect(await s.end()).toEqual({ code: 1000, reason: "EOS" });
      // go-micro's bytes untouched: protojson (zero omitted, int64 as a string) and its codec's newline
      expect(s.frames).toEqual(["{}\n", '{"count":"1"}\n', '{"count":"2"}\n']);
    });

    it("bidi stream over WebSocket: each Ping echoed as a Pong", async (ctx) => {
      if (noMdns) return ctx.skip();
      const s = await ws("Greeter.BidiStream");
      // one at a time: each answer arrives before the next Ping goes
      for (const n of [1, 2, 3]) {
        s.send(JSON.stringify({ stroke: n }));
        expect(await s.frameCount(n)).toHaveLength(n);
      }
      expect(s.frames).toEqual(['{"stroke":"1"}\n', '{"stroke":"2"}\n', '{"stroke":"3"}\n']);
      // the empty frame half-closes: the Go handler sees EOF and returns, the socket closes 1000
      s.send("");
      expect(await s.end()).toEqual({ code: 1000, reason: "EOS" });
    });

    it("client stream Tally.Sum over WebSocket, ended by the empty-frame half-close", async (ctx) => {
      if (noMdns) return ctx.skip();
      const s = await ws("Tally.Sum");
      for (const n of [1, 2, 3, 4]) s.send(JSON.stringify({ stroke: n }));
      s.send("");
      // Sum answers only after EOF and go-micro sends no EOS after it: the end is our client's
      // repeated EOS meeting the connection go-micro then closes (interop/README.md, half-close)
      expect(await s.end()).toEqual({ code: 1000, reason: "EOS" });
      expect(s.frames).toEqual(['{"stroke":"10"}\n']);
    });

    it("a stream to an unknown endpoint closes with 4000 + 404 and the error JSON", async (ctx) => {
      if (noMdns) return ctx.skip();
      const s = await ws("Greeter.Nope");
      s.send('{"count":1}');
      const end = await s.end();
      expect(end.code).toBe(4404);
      expect(JSON.parse(end.reason)).toMatchObject({ code: 404, detail: "rpc: can't find method Nope" });
      expect(s.frames).toEqual([]);
    });

    it("the Go service's endpoint schemas appear in /openapi.json", async (ctx) => {
      if (noMdns) return ctx.skip();
      const r = await http(`${gw.url}/openapi.json`);
      expect(r.status).toBe(200);
      const doc = JSON.parse(r.text);
      const schema = (content: any) =>
        doc.components.schemas[content["application/json"].schema.$ref.split("/").pop()];
      const hello = doc.paths[`/api/${go}/Greeter.Hello`].post;
      expect(hello.tags).toEqual([go]);
      // the Go registry record's Request/Response values (protoc-gen-go structs), as JSON Schemas
      expect(schema(hello.requestBody.content)).toMatchObject({
        type: "object",
        properties: { name: { type: "string" } },
      });
      expect(schema(hello.responses["200"].content)).toMatchObject({
        type: "object",
        properties: { msg: { type: "string" } },
      });
      const numbers = doc.paths[`/api/${go}/Numbers.Echo`].post;
      expect(schema(numbers.requestBody.content)).toMatchObject({
        properties: { ints: { type: "array", items: { type: "integer", format: "int64" } } },
      });
      // go-micro marks every stream alike (metadata stream: "true"): a WebSocket GET, no POST
      for (const e of ["Greeter.ServerStream", "Greeter.BidiStream", "Tally.Sum"]) {
        const op = doc.paths[`/api/${go}/${e}`];
        expect(op.get).toMatchObject({ "x-micro-service": go, "x-micro-endpoint": e });
        expect(op.get["x-micro-stream"]).toBeDefined();
        expect(op.post).toBeUndefined();
      }
    });

    it("int64/uint64 beyond 2^53 pass through byte for byte", async (ctx) => {
      if (noMdns) return ctx.skip();
      const body =
        '{"ints":[9007199254740993,-9223372036854775807,-9223372036854775808],"uints":[18446744073709551615]}';
      const r = await api("Numbers.Echo", body);
      expect(r.status).toBe(200);
      // Go's encoding/json decoded them into int64/uint64 and wrote the same digits back
      expect(r.text).toBe(`${body}\n`);
    });

    it("a Go node killed mid-request → 502/503 at once, and so are the calls after it", async (ctx) => {
      if (noMdns) return ctx.skip();
      const victim = unique("gw-go-victim");
      const node: Proc = await startGoPeer(victim);
      expect(await discovered(gw.url, victim)).toBe(true);
      const call = http(`${gw.url}/api/${victim}/Greeter.Slow`, { body: '{"name":"5000"}' });
      await sleep(300);
      const killedAt = performance.now();
      node.kill();
      const r = await call;
      expect([502, 503]).toContain(r.status);
      expect(JSON.parse(r.text)).toMatchObject({ code: r.status });
      expect(performance.now() - killedAt).toBeLessThan(1500);
      // the node stays in the registry (SIGKILL: no deregistration): the next call fails fast too
      const again = await http(`${gw.url}/api/${victim}/Greeter.Hello`, { body: '{"name":"x"}' });
      expect([502, 503]).toContain(again.status);
      expect(again.ms).toBeLessThan(1500);
    });
  },
);
