// The stylesheet and scripts shipped in the package's assets/ folder, read once and served from
// memory. Pages link them as `/dashboard/assets/{file}?v={version}`, the version being a hash of
// every asset, so a URL's content never changes: those answers may be cached for a year. A request
// without the current version (an old page, a hand-typed URL) must revalidate, and the ETag makes
// that a 304. Imports between the scripts get the same `?v=`, so a module never meets an older
// copy of another.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { securityHeaders } from "./headers.js";

export const ASSET_PREFIX = "/dashboard/assets/";

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

const YEAR = 365 * 24 * 3600;

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const hash = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

export class Assets {
  readonly version: string;
  readonly #files = new Map<string, Asset>();

  constructor(dir: URL = new URL("../assets/", import.meta.url)) {
    const names = readdirSync(dir)
      .filter((n) => TYPES[extension(n)] !== undefined)
      .sort();
    const raw = new Map(names.map((n) => [n, readFileSync(new URL(n, dir))]));
    const all = createHash("sha256");
    for (const [n, body] of raw) all.update(n).update("\0").update(body).update("\0");
    this.version = all.digest("hex").slice(0, 12);
    for (const [n, body] of raw) {
      const served = n.endsWith(".js") ? Buffer.from(this.#versioned(body.toString("utf8"))) : body;
      this.#files.set(n, {
        body: served,
        type: TYPES[extension(n)]!,
        etag: `"${hash(served).slice(0, 20)}"`,
      });
    }
  }

  /** The URL a page links: cacheable for good, as it changes with the content. */
  url(name: string): string {
    if (!this.#files.has(name)) throw new Error(`dashboard: no asset ${name}`);
    return `${ASSET_PREFIX}${name}?v=${this.version}`;
  }

  /** Answers a GET of `/dashboard/assets/{name}`; false when there is no such asset. */
  serve(req: IncomingMessage, res: ServerResponse, name: string, query: URLSearchParams): boolean {
    const asset = this.#files.get(name);
    if (!asset) return false;
    const headers: Record<string, string | number> = {
      ETag: asset.etag,
      "Cache-Control": query.get("v") === this.version ? `public, max-age=${YEAR}, immutable` : "no-cache",
      ...securityHeaders(req),
    };
    if (matches(req.headers["if-none-match"], asset.etag)) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, "Content-Type": asset.type, "Content-Length": asset.body.byteLength });
    res.end(req.method === "HEAD" ? undefined : asset.body);
    return true;
  }

  /** `from "./x.js"` → `from "./x.js?v=…"` (our own files only, written that way on purpose). */
  #versioned(source: string): string {
    return source.replace(/(\bfrom\s+")(\.\/[\w-]+\.js)(")/g, `$1$2?v=${this.version}$3`);
  }
}

function extension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(dot);
}

/** If-None-Match: a list of ETags (weak ones compare too), or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some((t) => t === etag || t === "*");
}
