// Every ```ts block of the hand-written guides (docs/*.md) type-checks against the real packages:
// each block is a module of its own, compiled with the greeter example's dependencies and its
// generated module (`./gen/greeter.micro.js`), strict. Blocks of other frameworks' code are marked
// with a second word (```ts nestjs) and left out. Needs the packages built (pnpm build).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const example = join(root, "examples/greeter");

/** The checked snippets of one Markdown text: [line, code] of each ```ts block. */
function snippets(text) {
  const out = [];
  const fence = /^```ts[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const m of text.matchAll(fence)) out.push([text.slice(0, m.index).split("\n").length, m[1]]);
  return out;
}

const work = mkdtempSync(join(tmpdir(), "micro-doc-snippets-"));
after(() => rmSync(work, { recursive: true, force: true }));

describe("guide snippets", () => {
  it("type-check against the packages", () => {
    const files = [];
    const where = new Map();
    for (const doc of readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md"))) {
      for (const [line, code] of snippets(readFileSync(join(root, "docs", doc), "utf8"))) {
        const file = `snippet-${files.length + 1}.ts`;
        const isModule = /^\s*(import|export)\s/m.test(code);
        writeFileSync(join(work, file), isModule ? code : `${code}\nexport {};\n`);
        files.push(file);
        where.set(file, `docs/${doc}:${line}`);
      }
    }
    assert.ok(files.length >= 10, `expected the guides' snippets, found ${files.length}`);
    symlinkSync(join(example, "node_modules"), join(work, "node_modules"), "dir");
    symlinkSync(join(example, "src/gen"), join(work, "gen"), "dir");
    writeFileSync(join(work, "package.json"), '{ "type": "module" }\n');
    writeFileSync(
      join(work, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2023",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
        },
        files,
      }),
    );
    const tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", work, "--pretty", "false"], {
      encoding: "utf8",
      cwd: work,
    });
    const errors = r.stdout.replace(/^(snippet-\d+\.ts)\((\d+),/gm, (_, f, l) => `${where.get(f)} +${l} (`);
    assert.equal(r.status, 0, errors || r.stderr);
  });
});
