// The small pieces of markdown the report is made of.

/** A GitHub table; cells are escaped for pipes and newlines. */
export function table(head: string[], rows: (string | number)[][], align?: ("l" | "r")[]): string {
  const cell = (v: string | number) => String(v).replace(/\|/g, "\\|").replace(/\n/g, " ");
  const rule = head.map((_, i) => (align?.[i] === "r" ? "---:" : "---"));
  return [head, rule, ...rows].map((r) => `| ${r.map(cell).join(" | ")} |`).join("\n");
}

export const met = (ok: boolean) => (ok ? "met" : "**not met**");

/** 12345 -> "12 345" (thin grouping, as the other figures in this repository). */
export function n(x: number): string {
  return Math.round(x).toLocaleString("en-US").replace(/,/g, " ");
}

/** ms as "850 ms" or "12.3 s". */
export function ms(x: number | null | undefined): string {
  if (x === null || x === undefined) return "—";
  return x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(1)} s`;
}

/** Failures by cause, most frequent first: "12 × go.micro.client 500: EOF; 3 × ...". */
export function causes(errors: Record<string, number>, limit = 3): string {
  const list = Object.entries(errors).sort((a, b) => b[1] - a[1]);
  if (!list.length) return "—";
  const shown = list.slice(0, limit).map(([k, v]) => `${n(v)} × \`${k}\``);
  if (list.length > limit) shown.push(`${list.length - limit} more`);
  return shown.join("; ");
}

/**
 * Shifts the headings of a markdown fragment so its top level becomes `top` (### under a ##
 * section), leaving fenced code alone.
 */
export function shiftHeadings(md: string, top: number): string {
  const lines = md.split("\n");
  let fenced = false;
  let least = 7;
  for (const l of lines) {
    if (/^\s*(```|~~~)/.test(l)) fenced = !fenced;
    else if (!fenced && /^#{1,6}\s/.test(l)) least = Math.min(least, /^#+/.exec(l)![0].length);
  }
  if (least === 7) return md;
  fenced = false;
  return lines
    .map((l) => {
      if (/^\s*(```|~~~)/.test(l)) fenced = !fenced;
      if (fenced || !/^#{1,6}\s/.test(l)) return l;
      const level = Math.min(6, /^#+/.exec(l)![0].length - least + top);
      return l.replace(/^#+/, "#".repeat(level));
    })
    .join("\n");
}
