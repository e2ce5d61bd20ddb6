// A registry Value tree as nested lists: each field's name and type, a struct's fields one level in.
// Both writers stop at depth 3 (go-micro's extractor, our server), so deeper structs show no fields;
// a hand-made cyclic tree is cut at MAX_DEPTH.
import type { Value } from "@micro/core";
import { type Html, html } from "./html.js";

const MAX_DEPTH = 12;

export function valueTree(v: Value | undefined, what: string): Html {
  if (!v) return html`<p class="muted">${what}: not advertised.</p>`;
  const fields = v.values ?? [];
  const type = v.type || v.name || "object";
  return html`<p class="schema-type">${what}: <code>${type}</code>${fields.length ? "" : html` <span class="muted">(no fields advertised)</span>`}</p>
${fields.length ? fieldList(fields, 0) : ""}`;
}

function fieldList(values: Value[], depth: number): Html {
  return html`<ul class="fields">${values.map((f) => field(f, depth))}</ul>`;
}

function field(f: Value, depth: number): Html {
  const nested = f.values?.length && depth < MAX_DEPTH ? fieldList(f.values, depth + 1) : "";
  return html`<li><code class="field-name">${f.name}</code> <span class="field-type">${f.type || "(unnamed)"}</span>${nested}</li>`;
}
