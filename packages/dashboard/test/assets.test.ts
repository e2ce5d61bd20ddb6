// The stylesheet and scripts: served from the package's assets/ folder with an ETag (a 304 on a
// match), cached for a year only under the current version's URL, and with module imports carrying
// that version too.
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mesh, page, startMesh } from "./support/mesh.js";

let mesh: Mesh;
let version: string;

beforeAll(async () => {
  mesh = await startMesh();
  const html = await (await page(`${mesh.url}/`)).text();
  version = /style\.css\?v=([0-9a-f]+)/.exec(html)![1]!;
});

afterAll(async () => {
  await mesh?.close();
});

describe("assets", () => {
  it("serves every shipped file with its type, an ETag and nosniff", async () => {
    const files = readdirSync(new URL("../assets/", import.meta.url));
    expect(files).toEqual(
      expect.arrayContaining(["style.css", "common.js", "call.js", "home.js", "service.js"]),
    );
    for (const f of files) {
      const res = await fetch(`${mesh.url}/dashboard/assets/${f}?v=${version}`);
      expect(res.status, f).toBe(200);
      expect(res.headers.get("content-type")).toBe(
        f.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
      );
      expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]{20}"$/);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      await res.arrayBuffer();
    }
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const first = await fetch(`${mesh.url}/dashboard/assets/style.css?v=${version}`);
    const etag = first.headers.get("etag")!;
    await first.arrayBuffer();
    const again = await fetch(`${mesh.url}/dashboard/assets/style.css?v=${version}`, {
      headers: { "If-None-Match": etag },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe("");
    const weak = await fetch(`${mesh.url}/dashboard/assets/style.css`, {
      headers: { "If-None-Match": `W/${etag}` },
    });
    expect(weak.status).toBe(304);
    const other = await fetch(`${mesh.url}/dashboard/assets/style.css`, {
      headers: { "If-None-Match": '"nope"' },
    });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
  });

  it("makes an unversioned or outdated URL revalidate", async () => {
    for (const q of ["", "?v=old"]) {
      const res = await fetch(`${mesh.url}/dashboard/assets/home.js${q}`);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      await res.arrayBuffer();
    }
  });

  it("versions the imports between scripts", async () => {
    const js = await (await fetch(`${mesh.url}/dashboard/assets/service.js`)).text();
    expect(js).toContain(`from "./call.js?v=${version}"`);
  });

  it("answers 404 for anything else, path tricks included", async () => {
    for (const p of ["nope.js", "../package.json", "%2e%2e/package.json", ""]) {
      const res = await fetch(`${mesh.url}/dashboard/assets/${p}`);
      expect(res.status, p).toBe(404);
      await res.arrayBuffer();
    }
  });
});
