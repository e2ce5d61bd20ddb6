// JSON as the repository's formatter (biome) prints it, so a recorded results file passes
// `biome check` as written: objects one member per line, arrays without objects on one line when
// that line fits in 110 columns, else one element per line (numbers: as many per line as fit).
const WIDTH = 110;

function inline(v: unknown): boolean {
  return !Array.isArray(v) ? typeof v !== "object" || v === null : v.every(inline);
}

function print(v: unknown, indent: string, lead: number): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    const flat = JSON.stringify(v).replace(/,/g, ", ");
    if (v.every(inline) && lead + flat.length + 1 <= WIDTH) return flat;
    const inner = `${indent}  `;
    if (v.every((x) => typeof x === "number"))
      return `[\n${fill(v as number[], inner).join("\n")}\n${indent}]`;
    return `[\n${v.map((x) => inner + print(x, inner, inner.length)).join(",\n")}\n${indent}]`;
  }
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return "{}";
    const inner = `${indent}  `;
    const lines = entries.map(([k, x]) => {
      const key = `${inner}${JSON.stringify(k)}: `;
      return key + print(x, inner, key.length);
    });
    return `{\n${lines.join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(v);
}

/** Numbers packed into lines of at most WIDTH columns, each line but the last ending in a comma. */
function fill(v: number[], indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  v.forEach((x, i) => {
    const piece = `${JSON.stringify(x)}${i < v.length - 1 ? "," : ""}`;
    if (line && indent.length + line.length + 1 + piece.length > WIDTH) {
      lines.push(indent + line);
      line = piece;
    } else line = line ? `${line} ${piece}` : piece;
  });
  lines.push(indent + line);
  return lines;
}

export function formatJson(v: unknown): string {
  return `${print(v, "", 0)}\n`;
}
