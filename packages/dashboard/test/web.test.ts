// `micro web`'s setup: the dashboard in front, and every path it does not take proxied to the web
// service registered under go.micro.web.{name}, with the base path header, as go-micro's micro web.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mesh, page, record, startMesh } from "./support/mesh.js";

let mesh: Mesh;
let app: Server;

beforeAll(async () => {
  app = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ url: req.url, base: req.headers["x-micro-web-base-path"] }));
  });
  app.listen(0, "127.0.0.1");
  await once(app, "listening");
  mesh = await startMesh({ classic: true, handler: "web", webNamespace: "go.micro.web" });
  const { port } = app.address() as AddressInfo;
  await mesh.registry.register(record("go.micro.web.shop", `127.0.0.1:${port}`));
});

afterAll(async () => {
  await mesh?.close();
  app?.close();
});

describe("dashboard with the web handler as fallback", () => {
  it("proxies /{service}/... to the web service", async () => {
    const res = await fetch(`${mesh.url}/shop/cart?id=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ url: "/cart?id=1", base: "/shop" });
  });

  it("keeps its own pages and the API, and lists the web app on the home page", async () => {
    const home = await (await page(`${mesh.url}/`)).text();
    expect(home).toContain("<h1>Services</h1>");
    expect(home).toContain('<a href="/shop/">/shop/</a>');
    expect((await page(`${mesh.url}/services/greeter`)).status).toBe(200);
    const call = await fetch(`${mesh.url}/api/greeter/Greeter.Hello`, {
      method: "POST",
      body: '{"name":"web"}',
    });
    expect(await call.json()).toEqual({ msg: "Hello web" });
  });
});
