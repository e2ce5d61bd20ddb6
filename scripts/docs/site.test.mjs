// The docs site builds (without typedoc: the API reference is a stub page here, `pnpm run docs` copies
// the real one), has the pages it promises, and every internal link of it resolves; the link checks
// themselves catch what they must; the local server serves it and nothing outside it.
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "./build.mjs";
import { checkLinks } from "./check-links.mjs";
import { serve } from "./serve.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "micro-docs-"));
after(() => rmSync(work, { recursive: true, force: true }));

describe("docs site", () => {
  let site;
  before(() => {
    site = build({ out: join(work, "site"), api: false });
  });

  it("renders the index, every package README, the guides and an API page", () => {
    assert.deepEqual(site.broken, []);
    const has = (p) => assert.ok(existsSync(join(site.out, p)), `missing ${p}`);
    has("index.html");
    has("coming-from-go-micro.html");
    has("coming-from-moleculer-nestjs.html");
    has("architecture.html");
    has("api/index.html");
    for (const dir of readdirSync(join(root, "packages")))
      if (existsSync(join(root, "packages", dir, "README.md"))) has(`packages/${dir}.html`);
    const index = readFileSync(join(site.out, "index.html"), "utf8");
    for (const link of ["coming-from-go-micro.html", "coming-from-moleculer-nestjs.html", "api/index.html"])
      assert.ok(index.includes(`href="${link}"`), `the index links ${link}`);
  });

  it("has no broken internal link (files and #anchors)", () => {
    assert.deepEqual(checkLinks(site.out), []);
  });

  it("is served on 127.0.0.1, nothing outside it", async () => {
    const server = await serve(site.out, 0);
    const get = (path) =>
      new Promise((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port: server.address().port, path }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode, type: res.headers["content-type"] }));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      assert.deepEqual(await get("/"), { status: 200, type: "text/html; charset=utf-8" });
      assert.equal((await get("/packages/core.html")).status, 200);
      assert.equal((await get("/style.css")).type, "text/css; charset=utf-8");
      assert.equal((await get("/../package.json")).status, 404);
      assert.equal((await get("/%2e%2e/%2e%2e/package.json")).status, 404);
      assert.equal((await get("/nope.html")).status, 404);
    } finally {
      server.close();
    }
  });
});

describe("link checks", () => {
  it("report a page or #anchor that does not exist", () => {
    const dir = join(work, "broken");
    mkdirSync(join(dir, "sub"), { recursive: true });
    writeFileSync(
      join(dir, "index.html"),
      '<h1 id="top">x</h1><a href="sub/a.html#top">a</a><a href="#top">t</a>',
    );
    writeFileSync(
      join(dir, "sub/a.html"),
      '<p id="top"></p><a href="../index.html#nope">b</a><a href="missing.html">c</a><a href="https://x.test/">x</a>',
    );
    assert.deepEqual(checkLinks(dir), [
      "sub/a.html: ../index.html#nope (no #nope in index.html)",
      "sub/a.html: missing.html (no sub/missing.html)",
    ]);
  });

  it("fail the build for a Markdown link to a file that does not exist", () => {
    const repo = join(work, "repo");
    mkdirSync(join(repo, "packages/x"), { recursive: true });
    writeFileSync(
      join(repo, "package.json"),
      JSON.stringify({ repository: { url: "git+https://example.test/r.git" } }),
    );
    writeFileSync(
      join(repo, "README.md"),
      "# R\n\n[x](packages/x/README.md#use) [gone](nope.md) [src](package.json)\n",
    );
    writeFileSync(join(repo, "packages/x/README.md"), "# X\n\n## Use\n\n[home](../../README.md)\n");
    const r = build({ root: repo, out: join(work, "repo-site"), api: false });
    assert.deepEqual(r.broken, ["README.md: link to a missing file: nope.md"]);
    const index = readFileSync(join(r.out, "index.html"), "utf8");
    assert.ok(index.includes('href="packages/x.html#use"'));
    assert.ok(index.includes('href="https://example.test/r/blob/main/package.json"'));
    // left as written, so the site check reports it as well
    assert.deepEqual(checkLinks(r.out), ["index.html: nope.md (no nope.md)"]);
  });
});
