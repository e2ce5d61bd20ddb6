// Builds the static docs site: the root README as the index, one page per package README, the other
// Markdown of the repository (architecture, contributing, interop, the hand-written guides in docs/),
// and the API reference that `pnpm docs:api` writes to docs/api (copied in, or a page saying how to
// build it). Relative links between Markdown files become links between pages; links to other files
// of the repository point at them on the repository's web pages; a link to a file that does not
// exist fails the build. Then every internal link of the site is checked (check-links.mjs).
//
//   node scripts/docs/build.mjs [--out docs/site] [--no-api]
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import MarkdownIt from "markdown-it";
import { checkLinks } from "./check-links.mjs";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const SKIP_DIRS = new Set(["node_modules", "dist", ".git", ".turbo", ".tools", ".changeset", ".svc", "bin"]);
const SKIP_PATHS = new Set(["docs/api", "docs/site"]);

/** Repository-relative paths (posix) of the Markdown files the site renders. */
export function sources(root = ROOT) {
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !SKIP_PATHS.has(path) && !e.name.startsWith(".")) walk(path);
      } else if (e.name.endsWith(".md") && e.name !== "CHANGELOG.md") found.push(path);
    }
  };
  walk("");
  return found.sort();
}

/** The page a Markdown file becomes: README.md → index.html, a/b/README.md → a/b.html, docs/x.md → x.html. */
export function pageOf(source) {
  if (source === "README.md") return "index.html";
  if (source.endsWith("/README.md")) return `${source.slice(0, -"/README.md".length)}.html`;
  const path = source.startsWith("docs/") ? source.slice("docs/".length) : source;
  return `${path.slice(0, -".md".length).toLowerCase()}.html`;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
export function slugger() {
  const seen = new Map();
  return (text) => {
    const base = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n ? `${base}-${n}` : base;
  };
}

const isExternal = (href) => /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//");

function repositoryWeb(root) {
  const url = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).repository?.url ?? "";
  return url.replace(/^git\+/, "").replace(/\.git$/, "");
}

/**
 * Rewrites a link found in `source` for the page it becomes: another rendered Markdown file (or a
 * folder with one) becomes that page, docs/api/... the copied API reference, any other existing file
 * its page on the repository's web site. Returns undefined for a link to nothing.
 */
function linkTarget(href, source, ctx) {
  if (!href || href.startsWith("#") || isExternal(href)) return href;
  const [pathPart, fragment] = href.split(/#(.*)/s, 2);
  const hash = fragment === undefined ? "" : `#${fragment}`;
  const fromDir = posix.dirname(source);
  const target = posix.normalize(
    pathPart.startsWith("/") ? pathPart.slice(1) : posix.join(fromDir, pathPart),
  );
  const clean = target.replace(/\/$/, "");
  const page = pageOf(source);
  const rel = (to) => posix.relative(posix.dirname(page), to) || posix.basename(to);
  if (ctx.pages.has(clean)) return rel(pageOf(clean)) + hash;
  if (ctx.pages.has(`${clean}/README.md`)) return rel(pageOf(`${clean}/README.md`)) + hash;
  if (clean === "docs/api" || clean.startsWith("docs/api/")) {
    const inApi = clean.slice("docs/api".length).replace(/^\//, "") || "index.html";
    return rel(`api/${inApi}`) + hash;
  }
  if (clean.startsWith("..") || !existsSync(join(ctx.root, clean))) return undefined;
  const kind = statSync(join(ctx.root, clean)).isDirectory() ? "tree" : "blob";
  return `${ctx.web}/${kind}/main/${clean}${hash}`;
}

function markdown(ctx) {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  // heading anchors, as GitHub renders them, so #links from one README to another keep working
  md.core.ruler.push("anchors", (state) => {
    const slug = slugger();
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].type !== "heading_open") continue;
      const text = tokens[i + 1].children
        .filter((t) => t.type === "text" || t.type === "code_inline")
        .map((t) => t.content)
        .join("");
      tokens[i].attrSet("id", slug(text));
    }
  });
  md.core.ruler.push("links", (state) => {
    for (const block of state.tokens) {
      for (const t of block.children ?? []) {
        const attr = t.type === "link_open" ? "href" : t.type === "image" ? "src" : undefined;
        if (!attr) continue;
        const href = t.attrGet(attr);
        const to = linkTarget(href, state.env.source, ctx);
        if (to === undefined) ctx.broken.push(`${state.env.source}: link to a missing file: ${href}`);
        else t.attrSet(attr, to);
      }
    }
  });
  return md;
}

const escapeHtml = (s) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** The side navigation of `page` (a source's or the API stub's): guides, the API reference, packages, the rest. */
function navigation(pages, titles, current, page) {
  const rel = (to) => posix.relative(posix.dirname(page), to) || posix.basename(to);
  const guides = [
    "README.md",
    ...pages.filter((p) => p.startsWith("docs/")),
    "ARCHITECTURE.md",
    "CONTRIBUTING.md",
  ];
  const packages = pages.filter((p) => p.startsWith("packages/"));
  const rest = pages.filter((p) => !guides.includes(p) && !packages.includes(p));
  const item = (p, label) =>
    `<li${p === current ? ' class="here"' : ""}><a href="${rel(pageOf(p))}">${escapeHtml(label)}</a></li>`;
  const group = (name, list, label) =>
    list.length ? `<h2>${name}</h2><ul>${list.map((p) => item(p, label(p))).join("")}</ul>` : "";
  const pkgLabel = (p) => `@micro/${p.split("/")[1]}`;
  return [
    group(
      "Guides",
      guides.filter((p) => pages.includes(p)),
      (p) => (p === "README.md" ? "Overview" : titles.get(p)),
    ),
    `<h2>Reference</h2><ul><li><a href="${rel("api/index.html")}">API reference</a></li></ul>`,
    group("Packages", packages, pkgLabel),
    group("More", rest, (p) => titles.get(p)),
  ].join("\n");
}

const STYLE = `body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;display:flex}
nav{width:17rem;flex:none;padding:1rem 1.2rem;border-right:1px solid #d0d7de;height:100vh;overflow:auto;position:sticky;top:0;box-sizing:border-box;font-size:14px}
nav h2{font-size:12px;text-transform:uppercase;color:#59636e;margin:1.2rem 0 .3rem}nav ul{list-style:none;margin:0;padding:0}
nav li{margin:.15rem 0}nav li.here a{font-weight:600;color:#1f2328}nav .brand{font-weight:700;font-size:16px;color:#1f2328;text-decoration:none}
main{max-width:56rem;padding:1.5rem 2.5rem 4rem;min-width:0}a{color:#0969da}
pre{tab-size:4;background:#f6f8fa;padding:.8rem 1rem;overflow:auto;border-radius:6px;font-size:13.5px;line-height:1.45}
code{font:0.9em ui-monospace,SFMono-Regular,Menlo,monospace}:not(pre)>code{background:#eff1f3;padding:.1em .35em;border-radius:4px}
table{border-collapse:collapse;display:block;overflow:auto;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .7rem;vertical-align:top}
th{background:#f6f8fa}h1,h2,h3{line-height:1.25}h1{border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
.side-by-side{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.side-by-side pre{margin:0}
@media(max-width:800px){body{display:block}nav{width:auto;height:auto;position:static;border:0}.side-by-side{grid-template-columns:1fr}}
`;

function layout({ title, body, nav, page }) {
  const up = posix.relative(posix.dirname(page), "") || ".";
  const css = `${up === "." ? "" : `${up}/`}style.css`;
  const home = `${up === "." ? "" : `${up}/`}index.html`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Micro for TypeScript</title>
<link rel="stylesheet" href="${css}">
</head>
<body>
<nav><a class="brand" href="${home}">Micro for TypeScript</a>
${nav}
</nav>
<main>
${body}
</main>
</body>
</html>
`;
}

/** Writes the site; returns { out, pages, broken } (broken: links to files that do not exist). */
export function build({ root = ROOT, out = join(ROOT, "docs/site"), api = true } = {}) {
  const pages = sources(root);
  const ctx = { root, web: repositoryWeb(root), pages: new Set(pages), broken: [] };
  const md = markdown(ctx);
  const titles = new Map();
  const texts = new Map();
  for (const p of pages) {
    const text = readFileSync(join(root, p), "utf8");
    texts.set(p, text);
    titles.set(p, /^#\s+(.+)$/m.exec(text)?.[1].replace(/`/g, "").trim() ?? p);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "style.css"), STYLE);
  for (const p of pages) {
    const page = pageOf(p);
    const html = layout({
      title: titles.get(p),
      body: md.render(texts.get(p), { source: p }),
      nav: navigation(pages, titles, p, page),
      page,
    });
    mkdirSync(dirname(join(out, page)), { recursive: true });
    writeFileSync(join(out, page), html);
  }
  const built = join(root, "docs/api");
  mkdirSync(join(out, "api"), { recursive: true });
  if (api && existsSync(join(built, "index.html"))) {
    cpSync(built, join(out, "api"), { recursive: true });
  } else {
    writeFileSync(
      join(out, "api/index.html"),
      layout({
        title: "API reference",
        body: "<h1>API reference</h1><p>Not built: <code>pnpm run docs</code> (or <code>pnpm docs:api</code>, then this build) generates it from the packages' types.</p>",
        nav: navigation(pages, titles, undefined, "api/index.html"),
        page: "api/index.html",
      }),
    );
  }
  return { out, pages: pages.map(pageOf), broken: ctx.broken };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--out");
  const out = at >= 0 ? resolve(args[at + 1]) : join(ROOT, "docs/site");
  const started = performance.now();
  const { pages, broken } = build({ out, api: !args.includes("--no-api") });
  const problems = [...broken, ...checkLinks(out)];
  if (problems.length) {
    console.error(`docs: ${problems.length} broken link(s):\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  const where = relative(process.cwd(), out).split(sep).join("/") || ".";
  console.log(
    `docs: ${pages.length} pages in ${where} (${Math.round(performance.now() - started)} ms); serve with pnpm docs:serve`,
  );
}
