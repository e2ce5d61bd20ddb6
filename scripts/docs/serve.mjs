// Serves the built docs site (pnpm run docs) on 127.0.0.1 with node:http: files only, no directory
// listings, nothing outside the site.
//
//   node scripts/docs/serve.mjs [--port 4173] [--dir docs/site]      (--port 0 picks a free port)
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** The file under `dir` a request path names (a folder's index.html), or undefined. */
export function fileFor(dir, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split("?")[0].split("#")[0]);
  } catch {
    return undefined;
  }
  const file = normalize(join(dir, path));
  if (file !== dir && !file.startsWith(dir + sep)) return undefined;
  if (existsSync(file) && statSync(file).isDirectory())
    return fileFor(dir, `${path.replace(/\/?$/, "/")}index.html`);
  return existsSync(file) ? file : undefined;
}

/** Starts serving `dir`; resolves with the server once it listens on 127.0.0.1. */
export function serve(dir, port = 4173) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const file = req.method === "GET" || req.method === "HEAD" ? fileFor(root, req.url ?? "/") : undefined;
    if (!file) {
      res.writeHead(req.method === "GET" || req.method === "HEAD" ? 404 : 405, {
        "Content-Type": TYPES[".txt"],
      });
      res.end("not found\n");
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const dir = resolve(opt("--dir") ?? fileURLToPath(new URL("../../docs/site", import.meta.url)));
  if (!existsSync(join(dir, "index.html"))) {
    console.error(`docs: nothing built in ${dir}; run pnpm run docs first`);
    process.exit(1);
  }
  const server = await serve(dir, Number(opt("--port") ?? 4173));
  console.log(`docs: http://127.0.0.1:${server.address().port}/ (Ctrl-C to stop)`);
}
