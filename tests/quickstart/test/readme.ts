// The quickstart as README.md writes it: its TypeScript blocks that start with a `// <file>.ts` line,
// so the test runs exactly what a reader copies.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../../scripts/pack.mjs";

export const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** File name -> content of every ```ts block of the README that starts with `// <name>.ts`. */
export function readmeFiles(markdown = README): Record<string, string> {
  const files: Record<string, string> = {};
  for (const m of markdown.matchAll(/^```ts\n(\/\/ ([\w.-]+\.ts)\n[\s\S]*?)^```$/gm)) files[m[2]!] = m[1]!;
  return files;
}

/** The shell lines of the README's ```sh blocks, comments dropped. */
export function readmeCommands(markdown = README): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((m) =>
    m[1]!
      .split("\n")
      .map((l) => l.replace(/\s+#.*$/, "").trim())
      .filter(Boolean),
  );
}
