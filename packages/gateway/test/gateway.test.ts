// The gateway in front of real TS services (http transport, shared memory registry): the API
// routes, bad input, limits, auth, and the production guards, all over real sockets.
import { request as httpsRequest } from "node:https";
import { createConnection } from "node:net";
import { selfSignedCert } from "@micro/testing/helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJwtAuth, signJwt } from "../src/auth/jwt.js";
import { type Mesh, startMesh } from "./support/mesh.js";

const json = (r: Response): Promise<any> => r.json();

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", body, headers: { "Content-Type": "application/json", ...headers } });

describe("gateway API routes", () => {
  let m: Mesh;
  beforeAll(async () => {
    m = await startMesh({ maxBodyBytes: 64 * 1024, timeout: 1000 });
  });
  afterAll(() => m.close());

  it("calls an endpoint: /api/{service}/{Endpoint} and /api/{service}/{Handler}/{Method}", async () => {
    for (const path of ["/api/test/Test.Hello", "/api/test/Test/Hello"]) {
      const r = await post(m.url + path, '{"name":"Ann"}');
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toBe("application/json");
      expect(await json(r)).toEqual({ msg: "Hello Ann" });
    }
  });

  it("takes curl's default form Content-Type when the body is JSON, and real forms as strings", async () => {
    const r = await fetch(`${m.url}/api/test/Test.Hello`, {
      method: "POST",
      body: '{"name":"Curl"}',
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(await json(r)).toEqual({ msg: "Hello Curl" });
    const f = await fetch(`${m.url}/api/test/Test.Hello`, {
      method: "POST",
      body: new URLSearchParams({ name: "Form" }),
    });
    expect(await json(f)).toEqual({ msg: "Hello Form" });
  });

  it("forwards headers as metadata and the Micro-Endpoint header picks the endpoint", async () => {
    const r = await post(`${m.url}/api/test`, '{"name":"H"}', {
      "X-From": "curl",
      "Micro-Endpoint": "Test.Hello",
    });
    expect(await json(r)).toEqual({ msg: "Hello H", from: "curl" });
  });

  it("does not let a client claim an account by header", async () => {
    const r = await post(`${m.url}/api/test/Test.Hello`, '{"name":"x"}', {
      "Micro-Account": '{"id":"root"}',
    });
    expect(await json(r)).toEqual({ msg: "Hello x" });
  });

  it("passes big integers through byte for byte", async () => {
    const body = '{"id":9007199254740993,"list":[18446744073709551615]}';
    const r = await post(`${m.url}/api/test/Test.Echo`, body);
    // the service's JSON codec ends its message with a newline, as Go's encoder does
    expect((await r.text()).trimEnd()).toBe(body);
  });

  it("POST /rpc with {service, endpoint, request}", async () => {
    const r = await post(
      `${m.url}/rpc`,
      JSON.stringify({ service: "test", endpoint: "Test.Hello", request: { name: "R" } }),
    );
    expect(await json(r)).toEqual({ msg: "Hello R" });
    const bad = await post(`${m.url}/rpc`, JSON.stringify({ endpoint: "Test.Hello" }));
    expect(bad.status).toBe(400);
    expect((await json(bad)).detail).toBe("missing service");
  });

  it("the v5 `micro api` route /{service}/{Handler.Method}", async () => {
    const r = await post(`${m.url}/test/Test.Hello`, '{"name":"V5"}');
    expect(await json(r)).toEqual({ msg: "Hello V5" });
  });

  it("lists and describes services", async () => {
    const list = await json(await fetch(`${m.url}/api`));
    expect(list).toContainEqual({
      name: "test",
      endpoints: expect.arrayContaining(["Test.Hello", "Test.Count", "Test.Upper", "Test.Sum"]),
    });
    const d = await json(await fetch(`${m.url}/api/test`));
    expect(d).toMatchObject({ name: "test", version: "1.0.0", nodes: 1 });
    expect((await fetch(`${m.url}/health`)).status).toBe(200);
  });

  it("serves the OpenAPI document from the registry", async () => {
    const doc = await json(await fetch(`${m.url}/openapi.json`));
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/test/Test.Hello");
  });

  describe("bad input: one micro error each, with its HTTP status", () => {
    it("go-micro errors keep their status and body", async () => {
      const r = await post(`${m.url}/api/test/Test.Fail`, '{"code":409}');
      expect(r.status).toBe(409);
      expect(await json(r)).toEqual({
        id: "test",
        code: 409,
        detail: "failed with 409",
        status: "Conflict",
      });
      const bad = await post(`${m.url}/api/test/Test.Hello`, "{}");
      expect(bad.status).toBe(400);
    });

    it("unknown service and unknown method → 404", async () => {
      const s = await post(`${m.url}/api/nosuch/X.Y`, "{}");
      expect(s.status).toBe(404);
      expect(await json(s)).toMatchObject({ code: 404, detail: "service nosuch: not found" });
      const e = await post(`${m.url}/api/test/Test.Nope`, "{}");
      expect(e.status).toBe(404);
      expect((await json(e)).detail).toMatch(/can't find method/);
    });

    it("bad JSON → 400 naming the problem", async () => {
      const r = await post(`${m.url}/api/test/Test.Hello`, '{"name":');
      expect(r.status).toBe(400);
      expect(await json(r)).toMatchObject({ id: "go.micro.api", code: 400 });
    });

    it("oversized body → 413, by Content-Length and by counting a chunked body", async () => {
      const big = JSON.stringify({ name: "x".repeat(70 * 1024) });
      const r = await post(`${m.url}/api/test/Test.Hello`, big);
      expect(r.status).toBe(413);
      const stream = new ReadableStream({
        start(c) {
          for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode("x".repeat(10 * 1024)));
          c.close();
        },
      });
      const chunked = await fetch(`${m.url}/api/test/Test.Hello`, {
        method: "POST",
        body: stream,
        duplex: "half",
        headers: { "Content-Type": "application/json" },
      } as RequestInit);
      expect(chunked.status).toBe(413);
    });

    it("a Content-Type no codec reads → 415; a wrong method → 405", async () => {
      const r = await post(`${m.url}/api/test/Test.Hello`, "x", { "Content-Type": "text/plain" });
      expect(r.status).toBe(415);
      expect((await fetch(`${m.url}/api/test/Test.Hello`)).status).toBe(405);
    });

    it("a call beyond the timeout → 408, and the service saw the deadline", async () => {
      const started = Date.now();
      const r = await post(`${m.url}/api/test/Test.Slow`, '{"ms":3000}');
      expect(r.status).toBe(408);
      expect(Date.now() - started).toBeLessThan(2500);
    });

    it("a dead node → 502 at once, never a hang", async () => {
      // a registered node nobody listens on
      await m.registry.register({
        name: "ghost",
        version: "1",
        endpoints: [],
        nodes: [{ id: "ghost-1", address: "127.0.0.1:1", metadata: { protocol: "mucp" } }],
      });
      const started = Date.now();
      const r = await post(`${m.url}/api/ghost/Ghost.Call`, "{}");
      expect([502, 503]).toContain(r.status);
      expect(await json(r)).toMatchObject({ code: r.status });
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it("a bad path encoding → 400; no route → 404", async () => {
      expect((await fetch(`${m.url}/api/%E0%A4%A`)).status).toBe(400);
    });

    it("a client that stalls mid-body does not hold up others", async () => {
      const [host, port] = m.url.slice("http://".length).split(":");
      const sock = createConnection(Number(port), host);
      sock.write("POST /api/test/Test.Hello HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
      const r = await post(`${m.url}/api/test/Test.Hello`, '{"name":"other"}');
      expect(r.status).toBe(200);
      sock.destroy();
    });
  });

  it("counts requests in /stats", async () => {
    const s = await json(await fetch(`${m.url}/stats`));
    expect(s.requests).toBeGreaterThan(10);
    expect(s.status["200"]).toBeGreaterThan(0);
    expect(s.status["404"]).toBeGreaterThan(0);
  });
});

describe("gateway auth, rate limit, CORS", () => {
  const secret = "s3cret-for-tests-only";
  let m: Mesh;
  beforeAll(async () => {
    m = await startMesh({
      auth: createJwtAuth({ secret }),
      rateLimit: { rate: 1000, burst: 1000 },
      cors: { origins: ["https://app.example"] },
    });
  });
  afterAll(() => m.close());
  const token = (scopes: string[]) =>
    signJwt(
      { sub: "ann", type: "user", scopes, exp: Math.floor(Date.now() / 1000) + 60 },
      { secret, algorithm: "HS256" },
    );

  it("refuses a missing or bad token with 401 and go-micro's error shape", async () => {
    const r = await post(`${m.url}/api/test/Test.Hello`, '{"name":"x"}');
    expect(r.status).toBe(401);
    expect(await json(r)).toMatchObject({ id: "go.micro.api", code: 401, status: "Unauthorized" });
    const bad = await post(`${m.url}/api/test/Test.Hello`, '{"name":"x"}', {
      Authorization: "Bearer abc.def.ghi",
    });
    expect(bad.status).toBe(401);
    // health stays open for load balancers
    expect((await fetch(`${m.url}/health`)).status).toBe(200);
  });

  it("a valid token calls, and the service sees the account in metadata", async () => {
    const r = await post(`${m.url}/api/test/Test.Hello`, '{"name":"x"}', {
      Authorization: `Bearer ${token(["*"])}`,
    });
    expect(r.status).toBe(200);
    const body = await json(r);
    expect(JSON.parse(body.account)).toMatchObject({ id: "ann", type: "user", scopes: ["*"] });
  });

  it("endpoint scopes: 403 without the scope, 200 with it", async () => {
    const no = await post(`${m.url}/api/test/Test.Secret`, "{}", {
      Authorization: `Bearer ${token(["other"])}`,
    });
    expect(no.status).toBe(403);
    const yes = await post(`${m.url}/api/test/Test.Secret`, "{}", {
      Authorization: `Bearer ${token(["billing"])}`,
    });
    expect(yes.status).toBe(200);
  });

  it("answers CORS preflights for allowed origins only", async () => {
    const ok = await fetch(`${m.url}/api/test/Test.Hello`, {
      method: "OPTIONS",
      headers: { Origin: "https://app.example", "Access-Control-Request-Method": "POST" },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://app.example");
    const no = await fetch(`${m.url}/api/test/Test.Hello`, {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
    });
    expect(no.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("gateway rate limit", () => {
  let m: Mesh;
  beforeAll(async () => {
    m = await startMesh({ rateLimit: { rate: 2, burst: 3 } });
  });
  afterAll(() => m.close());

  it("429 with Retry-After once a client spends its burst", async () => {
    const statuses: number[] = [];
    let retry: string | null = null;
    for (let i = 0; i < 6; i++) {
      const r = await post(`${m.url}/api/test/Test.Hello`, '{"name":"x"}');
      statuses.push(r.status);
      if (r.status === 429) retry = r.headers.get("retry-after");
      await r.arrayBuffer();
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses).toContain(429);
    expect(Number(retry)).toBeGreaterThanOrEqual(1);
  });
});

describe("gateway over TLS", () => {
  let m: Mesh;
  let ca: string;
  beforeAll(async () => {
    const { cert, key } = selfSignedCert();
    ca = cert;
    m = await startMesh({ tls: { cert, key } });
  });
  afterAll(() => m.close());

  it("serves HTTPS with the given certificate, and refuses plain HTTP on that port", async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        `${m.url}/api/test/Test.Hello`,
        { method: "POST", ca, headers: { "Content-Type": "application/json" } },
        (res) => {
          let data = "";
          res.on("data", (c) => (data += c));
          res.on("end", () => resolve(data));
        },
      );
      req.on("error", reject);
      req.end('{"name":"tls"}');
    });
    expect(JSON.parse(body)).toEqual({ msg: "Hello tls" });
    await expect(fetch(`${m.url.replace("https", "http")}/health`)).rejects.toThrow();
  });
});

describe("gateway access log and connection cap", () => {
  let m: Mesh;
  const lines: string[] = [];
  beforeAll(async () => {
    const logger = {
      debug() {},
      info: (msg: string) => void lines.push(msg),
      warn() {},
      error() {},
    };
    m = await startMesh({ accessLog: true, logger, maxConnections: 2 });
  });
  afterAll(() => m.close());

  it("logs one line per request: address, method, path, status, time", async () => {
    await (await post(`${m.url}/api/test/Test.Hello`, '{"name":"log"}')).arrayBuffer();
    expect(lines.some((l) => /^127\.0\.0\.1 POST \/api\/test\/Test\.Hello 200 [\d.]+ms$/.test(l))).toBe(true);
  });

  it("closes connections beyond maxConnections at once", async () => {
    const [host, port] = m.url.slice("http://".length).split(":");
    const open = () =>
      new Promise<import("node:net").Socket>((resolve) => {
        const s = createConnection(Number(port), host, () => resolve(s));
      });
    const held = [await open(), await open()];
    await new Promise((r) => setTimeout(r, 50));
    const extra = await open();
    const closed = await new Promise<boolean>((resolve) => {
      extra.once("close", () => resolve(true));
      setTimeout(() => resolve(false), 2000);
    });
    expect(closed).toBe(true);
    for (const s of held) s.destroy();
  });
});

describe("gateway login redirect", () => {
  let m: Mesh;
  beforeAll(async () => {
    m = await startMesh({ auth: createJwtAuth({ secret: "x".repeat(32) }), loginPath: "/login" });
  });
  afterAll(() => m.close());

  it("sends a browser asking for a page to the login path, and scripts get the 401 JSON", async () => {
    const page = await fetch(`${m.url}/stats?x=1`, { headers: { Accept: "text/html" }, redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe(`/login?next=${encodeURIComponent("/stats?x=1")}`);
    const script = await fetch(`${m.url}/stats`);
    expect(script.status).toBe(401);
  });
});
