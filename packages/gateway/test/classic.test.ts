// The classic handlers other than rpc, end to end on 127.0.0.1: a real TS service on the http
// transport for `api`, real node:http servers registered by hand for `http`/`proxy`/`web`, a real
// ws echo behind `web`, a memory broker subscription for `event`.
import "@micro/defaults";
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type Socket } from "node:net";
import { MemoryBroker } from "@micro/broker-memory";
import { type Context, createService, type MicroService, type Service } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { loopbackServiceOptions } from "@micro/testing/helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import type { ApiRequest } from "../src/classic/api-handler.js";
import { type ApiEvent, eventRoute } from "../src/classic/event-handler.js";
import { proxyName } from "../src/classic/proxy-handler.js";
import { webRoute } from "../src/classic/web-handler.js";
import { createGateway, type Gateway } from "../src/gateway.js";
import type { GatewayOptions } from "../src/options.js";

const registry = new MemoryRegistry();
const broker = new MemoryBroker();
const cleanup: (() => Promise<unknown> | unknown)[] = [];
let api: MicroService;

afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** An api.Response echoing what the handler got, so tests see the api.Request the gateway built. */
function echoResponse(req: ApiRequest, statusCode = 201) {
  return {
    statusCode,
    header: { "x-custom": { key: "X-Custom", values: ["a", "b"] } },
    body: JSON.stringify(req),
  };
}

async function startApiServices(): Promise<void> {
  api = createService({
    name: "go.micro.api.greeter",
    version: "1.0.0",
    ...loopbackServiceOptions(registry),
  });
  api.handle("Say", {
    async hello(_ctx: Context, req: ApiRequest) {
      return echoResponse(req);
    },
    async plain(_ctx: Context, _req: ApiRequest) {
      // statusCode 0 and no Content-Type: go-micro answers 200 application/json
      return { body: '{"ok":true}' };
    },
  });
  await api.start();
  const v1 = createService({
    name: "go.micro.api.v1.greeter",
    version: "1.0.0",
    ...loopbackServiceOptions(registry),
  });
  v1.handle("Greeter", {
    async hello(_ctx: Context, req: ApiRequest) {
      return { statusCode: 200, body: `v1 ${req.path}` };
    },
  });
  await v1.start();
  // the gateway runs rpc by default; this endpoint asks for the api handler in its metadata
  const meta = createService({
    name: "go.micro.api.meta",
    version: "1.0.0",
    ...loopbackServiceOptions(registry),
  });
  meta.handle(
    "Meta",
    {
      async info(_ctx: Context, req: ApiRequest) {
        return { statusCode: 202, body: `api handler for ${req.method} ${req.url}` };
      },
    },
    { endpoints: { info: { metadata: { handler: "api" } } } },
  );
  await meta.start();
  cleanup.push(
    () => api.stop(),
    () => v1.stop(),
    () => meta.stop(),
  );
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  rawHeaders: string[];
}

/** An HTTP server registered as a service node: answers with what it saw (and a few special paths). */
async function startUpstream(name: string): Promise<{ server: Server; address: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.endsWith("/hang")) return; // never answers
    if (req.url?.endsWith("/upload")) {
      const hash = createHash("sha256");
      let size = 0;
      req.on("data", (c: Buffer) => {
        size += c.length;
        hash.update(c);
      });
      req.on("end", () => res.end(JSON.stringify({ size, sha256: hash.digest("hex") })));
      return;
    }
    if (req.url?.endsWith("/download")) {
      // 16 MiB written with back-pressure, chunked
      const chunk = Buffer.alloc(1 << 16, 7);
      let left = 256;
      const write = () => {
        while (left > 0) {
          left--;
          if (!res.write(chunk)) return void res.once("drain", write);
        }
        res.end();
      };
      write();
      return;
    }
    req.resume();
    req.on("end", () => {
      const seen: Seen = {
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        rawHeaders: req.rawHeaders,
      };
      res.setHeader("Content-Type", "application/json");
      res.setHeader("X-Upstream", name);
      res.setHeader("Set-Cookie", ["a=1", "b=2"]);
      res.setHeader("Connection", "keep-alive, X-Hop-Back");
      res.setHeader("X-Hop-Back", "secret");
      res.statusCode = req.url?.includes("teapot") ? 418 : 200;
      res.end(JSON.stringify(seen));
    });
  });
  // a WebSocket echo on the same server, reporting the path and base path it was opened with
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws, req) => {
    ws.send(`hello ${req.url} ${req.headers["x-micro-web-base-path"] ?? "-"}`);
    ws.on("message", (data) => ws.send(`echo:${data.toString()}`));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  const address = `127.0.0.1:${port}`;
  await registry.register(record(name, address));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        wss.close();
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  return { server, address };
}

function record(name: string, address: string, endpoints: Service["endpoints"] = []): Service {
  return { name, version: "latest", endpoints, nodes: [{ id: `${name}-${address}`, address, metadata: {} }] };
}

/** A node that accepts connections and never says a word. */
async function silentAddress(): Promise<string> {
  const sockets = new Set<Socket>();
  const s = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        for (const socket of sockets) socket.destroy();
        s.close(() => r());
      }),
  );
  return `127.0.0.1:${(s.address() as { port: number }).port}`;
}

/** A port nothing listens on: bound, then released. */
async function deadAddress(): Promise<string> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return `127.0.0.1:${port}`;
}

async function gateway(options: Partial<GatewayOptions>): Promise<string> {
  const gw: Gateway = createGateway({
    client: api.client,
    registry,
    broker,
    address: "127.0.0.1:0",
    ...options,
  });
  const address = await gw.listen();
  cleanup.push(() => gw.close());
  return `http://${address}`;
}

/** A request with headers fetch will not send (Connection, Keep-Alive). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

let rpcGw: string;
let apiGw: string;
let httpGw: string;
let proxyGw: string;
let webGw: string;
let eventGw: string;
let site: { address: string };

beforeAll(async () => {
  await startApiServices();
  await startUpstream("go.micro.api.files");
  await startUpstream("go.micro.api.v1.files");
  site = await startUpstream("go.micro.web.site");
  // an HTTP service whose endpoint asks for the http handler while the gateway runs rpc
  const hybrid = await startUpstream("go.micro.api.hybrid");
  await registry.register(
    record("go.micro.api.hybrid", hybrid.address, [{ name: "Web.Page", metadata: { handler: "http" } }]),
  );
  await registry.register(record("go.micro.api.dead", await deadAddress()));
  await registry.register(record("go.micro.web.dead", await deadAddress()));
  await registry.register(record("go.micro.web.silent", await silentAddress()));
  rpcGw = await gateway({});
  apiGw = await gateway({ handler: "api" });
  httpGw = await gateway({ handler: "http" });
  proxyGw = await gateway({ handler: "proxy" });
  webGw = await gateway({ handler: "web" });
  eventGw = await gateway({ handler: "event" });
});

describe("path mapping", () => {
  it("names the proxied service by the first part, as go-micro's proxyRoute", () => {
    expect(proxyName("/greeter")).toBe("greeter");
    expect(proxyName("/greeter/say/hello/more")).toBe("greeter");
    expect(proxyName("/v1/greeter/say")).toBe("v1.greeter");
    expect(proxyName("/v1")).toBe("v1");
    expect(proxyName("/my-app/x")).toBe("my-app");
    expect(proxyName("/")).toBeUndefined();
    expect(proxyName("/bad_name/x")).toBeUndefined();
    expect(proxyName("/-x")).toBeUndefined();
  });
  it("strips the web service's prefix, as micro web", () => {
    expect(webRoute("/site")).toEqual({ name: "site", path: "/" });
    expect(webRoute("/site/")).toEqual({ name: "site", path: "/" });
    expect(webRoute("/site/a/b%20c/?q=1")).toEqual({ name: "site", path: "/a/b%20c/?q=1" });
    expect(webRoute("/")).toBeUndefined();
    expect(webRoute("/a.b/c")).toBeUndefined();
  });
  it("derives the event topic and name, as go-micro's evRoute", () => {
    expect(eventRoute("go.micro.api", "/user/login")).toEqual({ topic: "go.micro.api.user", name: "login" });
    expect(eventRoute("go.micro.api", "/user")).toEqual({ topic: "go.micro.api.user", name: "" });
    expect(eventRoute("go.micro.api", "/user/a/b")).toEqual({ topic: "go.micro.api.user", name: "a.b" });
    expect(eventRoute("go.micro.api", "/v1/user/login")).toEqual({
      topic: "go.micro.api.v1.user",
      name: "user.login",
    });
    expect(eventRoute("go.micro.api", "//user//login/")).toEqual({
      topic: "go.micro.api.user",
      name: "login",
    });
    expect(eventRoute("go.micro.api", "/")).toEqual({ topic: "go.micro.api", name: "event" });
  });
});

describe("api handler", () => {
  it("sends the request as api.Request and writes the api.Response back", async () => {
    const res = await fetch(`${apiGw}/greeter/say/hello?x=1&x=2&y=3`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Test": "t", "X-Forwarded-For": "10.0.0.1" },
      body: '{"name":"John"}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-custom")).toBe("a, b");
    expect(res.headers.get("content-type")).toBe("application/json");
    const req = (await res.json()) as ApiRequest;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/greeter/say/hello");
    expect(req.url).toBe("/greeter/say/hello?x=1&x=2&y=3");
    expect(req.get).toEqual({ x: { key: "x", values: ["1", "2"] }, y: { key: "y", values: ["3"] } });
    expect(req.post).toEqual({});
    expect(req.body).toBe('{"name":"John"}');
    expect(req.header["X-Test"]).toEqual({ key: "X-Test", values: ["t"] });
    expect(req.header["Content-Type"]?.values).toEqual(["application/json"]);
    expect(req.header.Host?.values[0]).toBe(new URL(apiGw).host);
    expect(req.header["X-Forwarded-For"]?.values).toEqual(["10.0.0.1, 127.0.0.1"]);
  });

  it("parses a form into post, as Go's ParseForm", async () => {
    const res = await fetch(`${apiGw}/greeter/say/hello`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "a=1&a=2&b=x+y",
    });
    const req = (await res.json()) as ApiRequest;
    expect(req.post).toEqual({ a: { key: "a", values: ["1", "2"] }, b: { key: "b", values: ["x y"] } });
    expect(req.body).toBe("");
  });

  it("answers 200 application/json when the service leaves status and type unset", async () => {
    const res = await fetch(`${apiGw}/greeter/say/plain`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ ok: true });
  });

  it("maps a versioned path to the versioned service", async () => {
    const res = await fetch(`${apiGw}/v1/greeter/hello`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("v1 /v1/greeter/hello");
  });

  it("is chosen by the endpoint's metadata when the gateway runs rpc", async () => {
    const res = await fetch(`${rpcGw}/meta/info?z=1`);
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("api handler for GET /meta/info?z=1");
  });

  it("passes the service's errors on as micro errors", async () => {
    const res = await fetch(`${apiGw}/greeter/say/nothing`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { id: string }).id).toBeTruthy();
  });
});

describe("http and proxy handlers", () => {
  it("proxies to a node of the service named by the first part, path and query kept", async () => {
    const res = await fetch(`${httpGw}/files/any/deep/path?q=1&q=2&e=a%20b`, { headers: { "X-Test": "t" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-upstream")).toBe("go.micro.api.files");
    expect(res.headers.get("set-cookie")).toBe("a=1, b=2");
    const seen = (await res.json()) as Seen;
    expect(seen.method).toBe("GET");
    expect(seen.url).toBe("/files/any/deep/path?q=1&q=2&e=a%20b");
    expect(seen.headers["x-test"]).toBe("t");
    expect(seen.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(seen.headers["x-forwarded-host"]).toBe(new URL(httpGw).host);
    expect(seen.headers["x-forwarded-proto"]).toBe("http");
    // go-micro's reverse proxy keeps the client's Host
    expect(seen.headers.host).toBe(new URL(httpGw).host);
  });

  it("strips hop-by-hop headers both ways", async () => {
    const { status, body } = await rawGet(`${httpGw}/files/x`, {
      Connection: "keep-alive, X-Hop",
      "X-Hop": "1",
      "Keep-Alive": "timeout=5",
      "X-Kept": "yes",
      "Micro-Account": '{"id":"forged"}',
    });
    expect(status).toBe(200);
    const seen = JSON.parse(body) as Seen;
    expect(seen.headers["x-hop"]).toBeUndefined();
    expect(seen.headers["keep-alive"]).toBeUndefined();
    expect(seen.headers["micro-account"]).toBeUndefined();
    expect(seen.headers["x-kept"]).toBe("yes");
    const res = await fetch(`${httpGw}/files/x`);
    expect(res.headers.get("x-hop-back")).toBeNull();
    await res.body?.cancel();
  });

  it("passes the node's status and method on", async () => {
    const res = await fetch(`${proxyGw}/files/teapot`, { method: "DELETE" });
    expect(res.status).toBe(418);
    expect(((await res.json()) as Seen).method).toBe("DELETE");
  });

  it("maps /v1/name to the versioned service", async () => {
    const res = await fetch(`${proxyGw}/v1/files/x`);
    expect(res.headers.get("x-upstream")).toBe("go.micro.api.v1.files");
    expect(((await res.json()) as Seen).url).toBe("/v1/files/x");
  });

  it("streams a big body both ways", async () => {
    const body = randomBytes(24 * 1024 * 1024);
    const up = await fetch(`${httpGw}/files/upload`, { method: "POST", body });
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({
      size: body.length,
      sha256: createHash("sha256").update(body).digest("hex"),
    });
    const down = await fetch(`${httpGw}/files/download`);
    expect(down.status).toBe(200);
    expect((await down.arrayBuffer()).byteLength).toBe(16 * 1024 * 1024);
  });

  it("is chosen by the endpoint's metadata when the gateway runs rpc", async () => {
    const res = await fetch(`${rpcGw}/hybrid/web/page`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-upstream")).toBe("go.micro.api.hybrid");
    expect(((await res.json()) as Seen).url).toBe("/hybrid/web/page");
  });

  it("answers 503 when the service has no node", async () => {
    const res = await fetch(`${httpGw}/nothing/here`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ id: "go.micro.api", code: 503 });
  });

  it("answers 502 at once for a dead node", async () => {
    const started = Date.now();
    const res = await fetch(`${httpGw}/dead/x`);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ id: "go.micro.api", code: 502 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("answers 504 when the node does not answer in time", async () => {
    const gw = await gateway({ handler: "http", timeout: 300 });
    const res = await fetch(`${gw}/files/hang`);
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ code: 504 });
  });

  it("answers 404 for a path that names no service", async () => {
    const res = await fetch(`${httpGw}/bad_name/x`);
    expect(res.status).toBe(404);
  });
});

describe("web handler", () => {
  it("strips the service prefix and sets the base path", async () => {
    const res = await fetch(`${webGw}/site/page/x?y=1`, { headers: { "X-Micro-Web-Base-Path": "/forged" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-upstream")).toBe("go.micro.web.site");
    const seen = (await res.json()) as Seen;
    expect(seen.url).toBe("/page/x?y=1");
    expect(seen.headers["x-micro-web-base-path"]).toBe("/site");
    expect(seen.rawHeaders.filter((h) => h.toLowerCase() === "x-micro-web-base-path")).toHaveLength(1);
    expect(seen.headers.host).toBe(site.address);
    expect(seen.headers["x-forwarded-host"]).toBe(new URL(webGw).host);
  });

  it("sends the bare service path to /", async () => {
    const res = await fetch(`${webGw}/site`);
    expect(((await res.json()) as Seen).url).toBe("/");
  });

  it("forwards WebSocket upgrades", async () => {
    const ws = new WebSocket(`${webGw.replace("http", "ws")}/site/socket?x=1`);
    const messages: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      ws.on("message", (m) => {
        messages.push(m.toString());
        if (messages.length === 1) ws.send("hi");
        else resolve();
      });
      ws.on("error", reject);
    });
    await done;
    expect(messages).toEqual(["hello /socket?x=1 /site", "echo:hi"]);
    const closed = new Promise<void>((r) => ws.once("close", () => r()));
    ws.close();
    await closed;
  });

  it("refuses an upgrade for a service with no node", async () => {
    const ws = new WebSocket(`${webGw.replace("http", "ws")}/nosite/socket`);
    const status = await new Promise<number>((resolve) => {
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode!));
      ws.on("error", () => resolve(-1));
    });
    expect(status).toBe(503);
  });

  it("answers 503 with no node and 502 for a dead one", async () => {
    expect((await fetch(`${webGw}/nosite/x`)).status).toBe(503);
    expect((await fetch(`${webGw}/dead/x`)).status).toBe(502);
  });

  it("does not hang on a node that never answers", async () => {
    const gw = await gateway({ handler: "web", timeout: 300 });
    const started = Date.now();
    expect((await fetch(`${gw}/silent/x`)).status).toBe(504);
    const ws = new WebSocket(`${gw.replace("http", "ws")}/silent/socket`);
    const status = await new Promise<number>((resolve) => {
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode!));
      ws.on("error", () => resolve(-1));
    });
    expect(status).toBe(504);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe("event handler", () => {
  async function next(topic: string): Promise<{ header: Record<string, string>; event: ApiEvent }> {
    return new Promise((resolve) => {
      void broker.subscribe(topic, async (e) => {
        resolve({
          header: e.message.header,
          event: JSON.parse(Buffer.from(e.message.body).toString("utf8")) as ApiEvent,
        });
      });
    });
  }

  it("publishes the request as api.Event and answers an empty 200", async () => {
    const got = next("go.micro.api.user");
    const res = await fetch(`${eventGw}/user/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Test": "t" },
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const { header, event } = await got;
    expect(header["Content-Type"]).toBe("application/json");
    expect(header["Micro-Topic"]).toBe("go.micro.api.user");
    expect(header["Micro-ID"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(header["X-Test"]).toBe("t");
    expect(event.name).toBe("login");
    expect(event.id).toMatch(/^go\.micro\.api\.user-login-[0-9a-f-]{36}$/);
    expect(Math.abs(event.timestamp - Date.now() / 1000)).toBeLessThan(5);
    expect(event.header["X-Test"]).toEqual({ key: "X-Test", values: ["t"] });
    expect(event.data).toBe('{"a":1}');
  });

  it("sends a GET's query as data, on the versioned topic", async () => {
    const got = next("go.micro.api.v1.user");
    const res = await fetch(`${eventGw}/v1/user/login?b=2&a=1&a=3`);
    expect(res.status).toBe(200);
    const { event } = await got;
    expect(event.name).toBe("user.login");
    expect(event.data).toBe('{"a":["1","3"],"b":["2"]}');
  });

  it("answers 503 without a broker", async () => {
    const gw = createGateway({ client: api.client, registry, address: "127.0.0.1:0", handler: "event" });
    const address = await gw.listen();
    cleanup.push(() => gw.close());
    const res = await fetch(`http://${address}/user/login`, { method: "POST", body: "{}" });
    expect(res.status).toBe(503);
  });
});
