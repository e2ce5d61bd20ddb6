import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CorsOptions, createCors } from "../src/http/cors.js";

const servers: Server[] = [];

/** A real server whose handler runs the CORS step and then answers 200 "ok" with a header of its own. */
async function serve(options: CorsOptions): Promise<string> {
  const cors = createCors(options);
  const server = createServer((req, res) => {
    res.setHeader("Vary", "Accept-Encoding");
    if (cors(req, res) === "preflight") return;
    res.setHeader("Micro-Id", "greeter-1");
    res.end("ok");
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const preflight = (origin: string, method = "POST", headers?: string): RequestInit => ({
  method: "OPTIONS",
  headers: {
    Origin: origin,
    "Access-Control-Request-Method": method,
    ...(headers ? { "Access-Control-Request-Headers": headers } : {}),
  },
});

describe("createCors", () => {
  let exact: string;
  let any: string;
  let anyCreds: string;
  let wild: string;
  let star: string;
  beforeAll(async () => {
    exact = await serve({
      origins: ["https://app.example.com", "http://localhost:3000/"],
      credentials: true,
    });
    any = await serve({ origins: ["*"] });
    anyCreds = await serve({ origins: ["*"], credentials: true });
    wild = await serve({ origins: ["https://*.example.com"], maxAgeSec: 60 });
    star = await serve({ origins: ["https://a.test"], methods: ["*"], headers: ["*"] });
  });

  it("decorates an allowed origin's request and lets it through", async () => {
    const res = await fetch(exact, { headers: { Origin: "https://app.example.com" } });
    expect(await res.text()).toBe("ok");
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-expose-headers")).toBe("Micro-Id, Retry-After");
    expect(res.headers.get("vary")).toBe("Accept-Encoding, Origin");
    const local = await fetch(exact, { headers: { Origin: "http://localhost:3000" } });
    expect(local.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
  });

  it("gives a disallowed origin no CORS headers but still serves it", async () => {
    const res = await fetch(exact, { headers: { Origin: "https://evil.example.org" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("leaves same-origin requests alone", async () => {
    const res = await fetch(exact);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("vary")).toBe("Accept-Encoding, Origin");
  });

  it("answers an allowed preflight with 204", async () => {
    const res = await fetch(
      exact,
      preflight("https://app.example.com", "PUT", "content-type, authorization"),
    );
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, HEAD, POST, PUT, PATCH, DELETE");
    expect(res.headers.get("access-control-allow-headers")).toBe("Accept, Authorization, Content-Type");
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(res.headers.get("vary")).toBe(
      "Accept-Encoding, Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    );
    expect(res.headers.get("micro-id")).toBeNull(); // the handler never ran
  });

  it("refuses a preflight from a disallowed origin, or for a method or header not allowed", async () => {
    for (const init of [
      preflight("https://evil.example.org"),
      preflight("https://app.example.com", "PROPFIND"),
      preflight("https://app.example.com", "POST", "x-custom"),
    ]) {
      const res = await fetch(exact, init);
      expect(res.status).toBe(403);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-methods")).toBeNull();
    }
  });

  it("treats OPTIONS without Access-Control-Request-Method as an ordinary request", async () => {
    const res = await fetch(exact, { method: "OPTIONS", headers: { Origin: "https://app.example.com" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
  });

  it('answers "*" without credentials, echoes the origin with them', async () => {
    const plain = await fetch(any, { headers: { Origin: "https://whoever.dev" } });
    expect(plain.headers.get("access-control-allow-origin")).toBe("*");
    expect(plain.headers.get("access-control-allow-credentials")).toBeNull();
    const creds = await fetch(anyCreds, { headers: { Origin: "https://whoever.dev" } });
    expect(creds.headers.get("access-control-allow-origin")).toBe("https://whoever.dev");
    expect(creds.headers.get("access-control-allow-credentials")).toBe("true");
    const pre = await fetch(anyCreds, preflight("https://whoever.dev"));
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://whoever.dev");
    // Sandboxed documents send Origin: null; with credentials that must not be echoed.
    const nul = await fetch(anyCreds, { headers: { Origin: "null" } });
    expect(nul.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("matches wildcard subdomains and nothing else", async () => {
    const cases: [string, boolean][] = [
      ["https://a.example.com", true],
      ["https://a.b.example.com", true],
      ["https://A.Example.COM", true],
      ["https://example.com", false],
      ["http://a.example.com", false],
      ["https://a.example.com:8443", false],
      ["https://evil.com/.example.com", false],
      ["https://a.example.com.evil.com", false],
      ["https://aexample.com", false],
    ];
    for (const [origin, ok] of cases) {
      const res = await fetch(wild, { headers: { Origin: origin } });
      expect(res.headers.get("access-control-allow-origin"), origin).toBe(ok ? origin : null);
    }
    const pre = await fetch(wild, preflight("https://x.example.com", "DELETE"));
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-max-age")).toBe("60");
    expect(pre.headers.get("access-control-allow-headers")).toBeNull();
    expect(() => createCors({ origins: ["https://app.*.com"] })).toThrow("subdomains");
    expect(() => createCors({ origins: ["*.example.com"] })).toThrow("subdomains");
  });

  it('echoes what is asked when methods or headers are "*"', async () => {
    const res = await fetch(star, preflight("https://a.test", "PROPFIND", "x-one, Authorization"));
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-methods")).toBe("PROPFIND");
    expect(res.headers.get("access-control-allow-headers")).toBe("x-one, Authorization");
  });

  it("uses the configured exposed headers", async () => {
    const url = await serve({ origins: ["https://a.test"], exposeHeaders: ["X-Total"] });
    const res = await fetch(url, { headers: { Origin: "https://a.test" } });
    expect(res.headers.get("access-control-expose-headers")).toBe("X-Total");
  });
});

describe("allowsOrigin (WebSocket upgrades)", () => {
  const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
  const cors = createCors({ origins: ["https://app.example.com", "https://*.example.org"] });

  it("admits non-browsers, allowed origins and the gateway's own origin", () => {
    expect(cors.allowsOrigin(req({ host: "gw:8080" }))).toBe(true);
    expect(cors.allowsOrigin(req({ host: "gw:8080", origin: "https://app.example.com" }))).toBe(true);
    expect(cors.allowsOrigin(req({ host: "gw:8080", origin: "https://x.example.org" }))).toBe(true);
    expect(cors.allowsOrigin(req({ host: "GW:8080", origin: "http://gw:8080" }))).toBe(true);
  });

  it("refuses other pages", () => {
    expect(cors.allowsOrigin(req({ host: "gw:8080", origin: "https://evil.test" }))).toBe(false);
    expect(cors.allowsOrigin(req({ host: "gw:8080", origin: "http://gw:8081" }))).toBe(false);
    expect(cors.allowsOrigin(req({ host: "gw:8080", origin: "null" }))).toBe(false);
    expect(cors.allowsOrigin(req({ origin: "https://evil.test" }))).toBe(false);
  });
});
