// Fails on a circular import between source files: reads every workspace package's src/**/*.ts
// (the packages named in pnpm-workspace.yaml), follows each relative import and each import of a
// workspace package by name (through that package's "exports", dist/X.js -> src/X.ts), and lists
// every strongly connected group of files with the import cycles that make it. Zero dependencies;
// a small lexer blanks comments, template literals and regular expressions, so code generated in
// template strings (the codegen package) is not mistaken for imports.
//
// Counted: `import ... from "x"`, `import "x"`, `export ... from "x"` — the imports that run when a
// module loads. A cycle among them means some module is evaluated before one it imports has
// finished, so a top-level use of that import (a class it extends, a constant, a registration call)
// meets `undefined` or a TDZ error depending on which module the application imports first.
// Not counted:
//   - `import type` / `export type`: erased by the compiler (the repository builds with
//     verbatimModuleSyntax, which guarantees it), so they are no edge at run time, and tsc resolves
//     cycles between types by itself. `import { type A }` IS counted: verbatimModuleSyntax keeps it
//     as `import {} from "x"`, which still loads the module.
//   - dynamic `import("x")`: it loads the module when that code runs and waits until the module has
//     finished evaluating, so it never sees one half-evaluated.
//
//   node scripts/check-cycles.mjs          exit 1 and list the cycles, or print a one-line summary
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(new URL("..", import.meta.url).pathname);

// ---------------------------------------------------------------- workspace packages
function workspaceDirs() {
  const lines = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8").split("\n");
  const globs = [];
  let inPackages = false;
  for (const line of lines) {
    if (/^packages:\s*$/.test(line)) inPackages = true;
    else if (/^\S/.test(line)) inPackages = false;
    else if (inPackages) {
      const m = /^\s*-\s*["']?([^"'#\s]+)["']?\s*$/.exec(line);
      if (m) globs.push(m[1]);
    }
  }
  const dirs = [];
  for (const g of globs) {
    if (g.endsWith("/*")) {
      const parent = join(root, g.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const d of readdirSync(parent).sort()) dirs.push(join(parent, d));
    } else dirs.push(join(root, g));
  }
  return dirs.filter((d) => existsSync(join(d, "package.json")));
}

const packages = new Map(); // name -> { dir, exports }
for (const dir of workspaceDirs()) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (pkg.name) packages.set(pkg.name, { dir, exports: pkg.exports ?? {} });
}

function sourceFiles(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) out.push(...sourceFiles(file));
    else if (/\.m?ts$/.test(name) && !name.endsWith(".d.ts")) out.push(file);
  }
  return out;
}

// ---------------------------------------------------------------- lexer
const REGEX_AFTER_WORD = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

// The source with comments, template literals (with their ${...} parts) and regular expression
// literals replaced by spaces (newlines kept); ordinary string literals are kept.
function mask(src) {
  const out = [];
  const stack = []; // "tpl" | "interp" | "brace"
  let prev = ""; // last significant token: a punctuation character or a word
  let i = 0;
  const n = src.length;
  const inTemplate = () => stack.includes("tpl");
  const blank = (s) => s.replace(/[^\n]/g, " ");
  while (i < n) {
    const c = src[i];
    const top = stack[stack.length - 1];
    if (top === "tpl") {
      if (c === "\\") {
        out.push(blank(src.slice(i, i + 2)));
        i += 2;
      } else if (c === "`") {
        stack.pop();
        out.push(" ");
        i++;
        prev = "x";
      } else if (c === "$" && src[i + 1] === "{") {
        stack.push("interp");
        out.push("  ");
        i += 2;
        prev = "{";
      } else {
        out.push(c === "\n" ? "\n" : " ");
        i++;
      }
      continue;
    }
    const hide = inTemplate();
    const emit = (s) => out.push(hide ? blank(s) : s);
    if (c === "/" && src[i + 1] === "/") {
      const end = src.indexOf("\n", i);
      const stop = end < 0 ? n : end;
      out.push(blank(src.slice(i, stop)));
      i = stop;
    } else if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end < 0 ? n : end + 2;
      out.push(blank(src.slice(i, stop)));
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && src[j] !== c && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
      emit(src.slice(i, j + 1));
      i = j + 1;
      prev = "x";
    } else if (c === "`") {
      stack.push("tpl");
      out.push(" ");
      i++;
    } else if (
      c === "/" &&
      (prev === "" || /^[(,=:[!&|?{};+\-*%<>~^]$/.test(prev) || REGEX_AFTER_WORD.has(prev))
    ) {
      let j = i + 1;
      let inClass = false;
      while (j < n && src[j] !== "\n") {
        if (src[j] === "\\") j++;
        else if (src[j] === "[") inClass = true;
        else if (src[j] === "]") inClass = false;
        else if (src[j] === "/" && !inClass) break;
        j++;
      }
      j++;
      while (j < n && /[a-z]/i.test(src[j])) j++;
      out.push(blank(src.slice(i, j)));
      i = j;
      prev = "x";
    } else if (/[\w$]/.test(c)) {
      let j = i;
      while (j < n && /[\w$]/.test(src[j])) j++;
      prev = src.slice(i, j);
      emit(prev);
      i = j;
    } else {
      if (c === "{") stack.push("brace");
      else if (c === "}" && (top === "brace" || top === "interp")) {
        stack.pop();
        if (top === "interp") {
          out.push(" ");
          i++;
          continue;
        }
      }
      if (!/\s/.test(c)) prev = c;
      emit(c);
      i++;
    }
  }
  return out.join("");
}

// import/export statements that load a module, at the start of a line (biome formats them so)
const IMPORT =
  /^[ \t]*(import|export)\s+(type\s+)?(?:(?:[\w$]+\s*,\s*)?(?:\{[^{}]*\}|\*(?:\s+as\s+[\w$]+)?|[\w$]+)\s+from\s*)?(["'])([^"'\n]+)\3/gm;

function importsOf(file) {
  const found = [];
  for (const m of mask(readFileSync(file, "utf8")).matchAll(IMPORT)) {
    if (m[2]) continue; // import type / export type
    found.push(m[4]);
  }
  return found;
}

// ---------------------------------------------------------------- resolution
function resolveFile(base) {
  const candidates = [base, base.replace(/\.js$/, ".ts"), base.replace(/\.mjs$/, ".mts"), `${base}.ts`];
  candidates.push(join(base, "index.ts"));
  return candidates.find((f) => /\.m?ts$/.test(f) && existsSync(f) && statSync(f).isFile());
}

function resolvePackage(spec) {
  const m = /^((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(spec);
  const pkg = m && packages.get(m[1]);
  if (!pkg) return undefined; // a dependency from outside the workspace, or a node: builtin
  const entry = pkg.exports[m[2] ? `.${m[2]}` : "."];
  const target = typeof entry === "string" ? entry : (entry?.default ?? entry?.import ?? entry?.types);
  if (typeof target !== "string") return undefined;
  const src = target.replace(/^\.\/dist\//, "./src/").replace(/\.d\.ts$/, ".ts");
  return resolveFile(join(pkg.dir, src));
}

const graph = new Map(); // file -> Set(file)
for (const { dir } of packages.values()) {
  for (const file of sourceFiles(join(dir, "src"))) {
    const edges = new Set();
    for (const spec of importsOf(file)) {
      const target = spec.startsWith(".") ? resolveFile(resolve(dirname(file), spec)) : resolvePackage(spec);
      if (target) edges.add(target);
    }
    graph.set(file, edges);
  }
}

// ---------------------------------------------------------------- cycles (Tarjan, then one shortest cycle per edge)
const groups = [];
{
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const group = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || graph.get(v).has(v)) groups.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
}

function shortestPath(from, to, within) {
  const back = new Map([[from, null]]);
  const queue = [from];
  while (queue.length) {
    const v = queue.shift();
    if (v === to) break;
    for (const w of graph.get(v)) {
      if (within.has(w) && !back.has(w)) {
        back.set(w, v);
        queue.push(w);
      }
    }
  }
  const path = [];
  for (let v = to; v !== null; v = back.get(v)) path.unshift(v);
  return path;
}

const rel = (f) => relative(root, f);
if (groups.length) {
  const lines = [];
  for (const group of groups) {
    const within = new Set(group);
    const cycles = new Map();
    for (const u of group) {
      for (const v of graph.get(u)) {
        if (!within.has(v)) continue;
        const cycle = u === v ? [u] : shortestPath(v, u, within);
        // one key per cycle whatever file it starts from
        const start = cycle.indexOf([...cycle].sort()[0]);
        const turned = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(turned.join(" "), turned);
      }
    }
    lines.push(`${group.length} files: ${group.map(rel).join(", ")}`);
    for (const cycle of cycles.values()) lines.push(`    ${[...cycle, cycle[0]].map(rel).join(" -> ")}`);
  }
  console.error(`import cycles (${groups.length}):\n  ${lines.join("\n  ")}`);
  process.exit(1);
}
console.log(`import cycles: none among ${graph.size} source files of ${packages.size} packages`);
