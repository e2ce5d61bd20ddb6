// With the gateway's auth on: pages send a browser to /login; a pasted token is judged by the
// gateway's own check and kept in the micro_token cookie (HttpOnly, SameSite=Strict, Max-Age from
// exp); `next` only leads to a path on the site; /logout clears the cookie.
import { request } from "node:https";
import { createJwtAuth, signJwt } from "@micro/gateway";
import { selfSignedCert } from "@micro/testing/helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mesh, page, startMesh } from "./support/mesh.js";

const secret = "dashboard-test-secret";
const token = (ttlSec = 3600) =>
  signJwt(
    { sub: "ann", type: "user", scopes: ["*"], exp: Math.floor(Date.now() / 1000) + ttlSec },
    { secret },
  );

let mesh: Mesh;

beforeAll(async () => {
  mesh = await startMesh({ auth: createJwtAuth({ secret }) });
});

afterAll(async () => {
  await mesh?.close();
});

function login(form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${mesh.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html", ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

describe("without a token", () => {
  it("sends a browser asking for a page to /login with the page as next", async () => {
    for (const path of ["/", "/services/greeter", "/topics", "/explorer"]) {
      const res = await page(`${mesh.url}${path}`);
      expect(res.status, path).toBe(302);
      expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it("keeps scripts, the live stream and the API closed; the login page and its stylesheet open", async () => {
    expect((await fetch(`${mesh.url}/dashboard/events`)).status).toBe(401);
    expect((await fetch(`${mesh.url}/dashboard/assets/home.js`)).status).toBe(401);
    expect(
      (await fetch(`${mesh.url}/api/greeter/Greeter.Hello`, { method: "POST", body: "{}" })).status,
    ).toBe(401);
    expect((await fetch(`${mesh.url}/broker/t`, { method: "POST", body: "{}" })).status).toBe(401);
    expect((await fetch(`${mesh.url}/dashboard/assets/style.css`)).status).toBe(200);
    const res = await page(`${mesh.url}/login?next=%2Fservices%2Fgreeter`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<label for="token">Token</label>');
    expect(html).toContain('<input type="password" id="token" name="token"');
    expect(html).toContain('<input type="hidden" name="next" value="/services/greeter">');
    expect(html).toContain('<button type="submit">Sign in</button>');
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});

describe("signing in", () => {
  it("sets the cookie for a token the gateway accepts and goes to next", async () => {
    const t = token(3600);
    const res = await login({ token: t, next: "/services/greeter" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/services/greeter");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(new RegExp(`^micro_token=${t.replaceAll(".", "\\.")}; `));
    expect(cookie).toContain("Path=/");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).not.toContain("Secure"); // plain HTTP here
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)![1]);
    expect(maxAge).toBeGreaterThan(3500);
    expect(maxAge).toBeLessThanOrEqual(3600);
    // the cookie opens the pages, the live stream and the API
    const headers = { Cookie: `micro_token=${t}` };
    const home = await page(`${mesh.url}/`, { headers });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('<a href="/services/greeter">greeter</a>');
    expect(html).toContain('<button type="submit">Sign out</button>');
    expect(html).toContain('<body data-auth="on">');
    const call = await fetch(`${mesh.url}/api/greeter/Greeter.Hello`, {
      method: "POST",
      headers,
      body: '{"name":"cookie"}',
    });
    expect(await call.json()).toEqual({ msg: "Hello cookie" });
  });

  it("refuses to redirect off the site", async () => {
    for (const next of [
      "//evil.example",
      "//evil.example/path",
      "https://evil.example/",
      "/\\evil.example",
      "javascript:alert(1)",
      "evil.example",
      "/login",
    ]) {
      const res = await login({ token: token(), next });
      expect(res.status, next).toBe(303);
      expect(res.headers.get("location"), next).toBe("/");
    }
    const kept = await login({ token: token(), next: "/services/greeter?x=1#endpoint-Greeter-Hello" });
    expect(kept.headers.get("location")).toBe("/services/greeter?x=1#endpoint-Greeter-Hello");
  });

  it("shows why a token is refused, without setting a cookie", async () => {
    const bad = signJwt(
      { sub: "eve", exp: Math.floor(Date.now() / 1000) + 60 },
      { secret: "another-secret" },
    );
    for (const t of [bad, "not-a-jwt", token(-3600)]) {
      const res = await login({ token: t, next: "/" });
      expect(res.status, t).toBe(401);
      expect(res.headers.get("set-cookie")).toBeNull();
      const html = await res.text();
      expect(html).toMatch(
        /<div class="error" role="alert" id="login-error"><p>That token was refused: [^<]+<\/p><\/div>/,
      );
      expect(html).toContain('aria-invalid="true"');
    }
    const empty = await login({ token: " ", next: "/" });
    expect(empty.status).toBe(400);
  });

  it("refuses a login form posted from another site", async () => {
    const res = await login({ token: token(), next: "/" }, { Origin: "http://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
    const same = await login({ token: token(), next: "/" }, { Origin: mesh.url });
    expect(same.status).toBe(303);
    const fetched = await login({ token: token(), next: "/" }, { "Sec-Fetch-Site": "cross-site" });
    expect(fetched.status).toBe(403);
  });
});

describe("signing out", () => {
  it("clears the cookie and goes to the login page", async () => {
    for (const method of ["POST", "GET"]) {
      const res = await fetch(`${mesh.url}/logout`, { method, redirect: "manual" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/login");
      const cookie = res.headers.get("set-cookie")!;
      expect(cookie).toMatch(/^micro_token=; /);
      expect(cookie).toContain("Max-Age=0");
    }
  });
});

describe("without auth", () => {
  it("says so on /login and links home", async () => {
    const open = await startMesh();
    try {
      const res = await page(`${open.url}/login`);
      const html = await res.text();
      expect(html).toContain("This gateway has no auth configured");
      expect(html).toContain('<a href="/">Go to the services</a>');
      expect(html).not.toContain('id="token"');
      expect((await page(`${open.url}/`)).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe("over TLS", () => {
  it("marks the cookie Secure", async () => {
    const { cert, key } = selfSignedCert();
    const tls = await startMesh({ auth: createJwtAuth({ secret }), tls: { cert, key } });
    try {
      const url = tls.url;
      const cookie = await new Promise<string>((resolve, reject) => {
        const req = request(
          `${url}/login`,
          { method: "POST", ca: cert, headers: { "Content-Type": "application/x-www-form-urlencoded" } },
          (res) => {
            res.resume();
            resolve(String(res.headers["set-cookie"]));
          },
        );
        req.on("error", reject);
        req.end(new URLSearchParams({ token: token(), next: "/" }).toString());
      });
      expect(cookie).toMatch(/^micro_token=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure; Max-Age=\d+$/);
    } finally {
      await tls.close();
    }
  });
});
