// The fast path on raw sockets: plain calls answered without node:http, anything else handed to
// node:http mid-connection with nothing lost — pipelined requests, a GET, a chunked body, garbage.
import { createConnection, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePlainHead } from "../src/http/fast-path.js";
import { type Mesh, startMesh } from "./support/mesh.js";

function call(body: string, path = "/api/test/Test.Hello"): string {
  return `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Writes `raw` and collects what comes back until `count` responses (by status line) arrived. */
function exchange(url: string, raw: string | string[], count: number): Promise<string> {
  const [host, port] = url.slice("http://".length).split(":");
  return new Promise((resolve, reject) => {
    const socket: Socket = createConnection(Number(port), host);
    let got = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timed out; got:\n${got}`));
    }, 5000);
    socket.on("data", (d) => {
      got += d.toString("latin1");
      if ((got.match(/^HTTP\/1\.1 \d{3}/gm) ?? []).length >= count && got.includes("\r\n\r\n")) {
        // give a split last body a moment
        setTimeout(() => {
          clearTimeout(timer);
          socket.destroy();
          resolve(got);
        }, 50);
      }
    });
    socket.on("error", reject);
    const parts = Array.isArray(raw) ? raw : [raw];
    void (async () => {
      for (const p of parts) {
        socket.write(p);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
  });
}

const statuses = (text: string) => [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));

describe("the gateway's fast path", () => {
  let m: Mesh;
  beforeAll(async () => {
    m = await startMesh({ maxBodyBytes: 1024 });
  });
  afterAll(() => m.close());

  it("accepts only plain heads", () => {
    const ok = parsePlainHead("POST /api/a/B.C HTTP/1.1\r\nHost: x\r\nContent-Length: 2");
    expect(ok).toMatchObject({ url: "/api/a/B.C", contentLength: 2, headers: { host: "x" } });
    for (const head of [
      "GET /api/a/B.C HTTP/1.1\r\nHost: x\r\nContent-Length: 2",
      "POST /api/a/B.C HTTP/1.0\r\nHost: x\r\nContent-Length: 2",
      "POST /api/a/B.C HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked",
      "POST /api/a/B.C HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2",
      "POST /api/a/B.C HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n folded",
      "POST /api/a/B.C HTTP/1.1\r\nHost: x\nContent-Length: 2",
      "POST /api/a/B.C HTTP/1.1\r\nContent-Length: 2",
      "POST /api/a/B.C HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close",
      "POST /api/a/B.C HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue",
      "POST /api/a/B.C HTTP/1.1\r\nHost: x\r\nContent-Length: -1",
      "POST /api/a/B.C HTTP/1.1\r\nHost: x\u00e9\r\nContent-Length: 2",
    ])
      expect(parsePlainHead(head), head).toBeUndefined();
  });

  it("answers pipelined calls in order in one connection", async () => {
    const raw = [1, 2, 3].map((i) => call(`{"name":"p${i}"}`)).join("");
    const text = await exchange(m.url, raw, 3);
    expect(statuses(text)).toEqual([200, 200, 200]);
    expect(text.indexOf("Hello p1")).toBeLessThan(text.indexOf("Hello p2"));
    expect(text.indexOf("Hello p2")).toBeLessThan(text.indexOf("Hello p3"));
    expect(text).toMatch(/^Date: /m);
  });

  it("hands over to node:http mid-connection and loses nothing", async () => {
    const chunked =
      "POST /api/test/Test.Hello HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
      'd\r\n{"name":"ch"}\r\n0\r\n\r\n';
    const raw = [
      call('{"name":"a"}'),
      "GET /health HTTP/1.1\r\nHost: x\r\n\r\n",
      chunked,
      call('{"name":"b"}'),
    ].join("");
    const text = await exchange(m.url, raw, 4);
    expect(statuses(text)).toEqual([200, 200, 200, 200]);
    for (const s of ["Hello a", '{"status":"ok"}', "Hello ch", "Hello b"]) expect(text).toContain(s);
  });

  it("a request split across writes is served", async () => {
    const whole = call('{"name":"split"}');
    const text = await exchange(m.url, [whole.slice(0, 10), whole.slice(10, 60), whole.slice(60)], 1);
    expect(text).toContain("Hello split");
  });

  it("errors keep go-micro's shape on the fast path; an oversized body goes to node:http's 413", async () => {
    const text = await exchange(m.url, call('{"name":'), 1);
    expect(statuses(text)).toEqual([400]);
    expect(text).toContain('"id":"go.micro.api"');
    const big = await exchange(m.url, call(JSON.stringify({ name: "x".repeat(2000) })), 1);
    expect(statuses(big)).toEqual([413]);
  });

  it("garbage after a call: the call is answered, then node:http's 400", async () => {
    const text = await exchange(m.url, `${call('{"name":"g"}')}\x00\x01garbage\r\n\r\n`, 2);
    expect(statuses(text)).toEqual([200, 400]);
  });
});
