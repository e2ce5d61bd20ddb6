// The inputs of a call form, generated from the endpoint's request Value tree: one labelled input
// per scalar field (typed: numbers, checkboxes), a fieldset per nested struct, and a JSON text input
// for what a plain input cannot hold (lists, maps, any, a type whose fields are not advertised).
// call.js reads them back through `data-path` (the field's path, as JSON) and `data-kind`.
import type { Value } from "@micro/core";
import { type Html, html } from "./html.js";

/** How call.js turns an input's text into JSON. */
export type FieldKind = "string" | "number" | "integer" | "int64" | "bool" | "json";

interface Input {
  kind: FieldKind;
  hint: string;
}

const INT32 = new Set(["int8", "int16", "int32", "sint32", "sfixed32", "rune", "uint8", "byte", "uint16"]);
// 64-bit integers go to the service as the digits typed: a JavaScript number would round them
const INT64 = new Set([
  "int",
  "int64",
  "sint64",
  "sfixed64",
  "uint",
  "uint32",
  "fixed32",
  "uint64",
  "fixed64",
  "uintptr",
]);
const FLOAT = new Set(["float", "float32", "double", "float64"]);

// Go and protobuf type names, as both registry writers spell them (see the gateway's openapi/schema.ts)
function scalarInput(type: string): Input | undefined {
  if (type === "string") return { kind: "string", hint: "string" };
  if (type === "bool") return { kind: "bool", hint: "bool" };
  if (INT32.has(type)) return { kind: "integer", hint: type };
  if (INT64.has(type)) return { kind: "int64", hint: `${type}, digits` };
  if (FLOAT.has(type)) return { kind: "number", hint: type };
  if (type === "bytes" || type === "[]uint8" || type === "[]byte")
    return { kind: "string", hint: "bytes, base64" };
  if (type === "time.Time" || type === "Time") return { kind: "string", hint: "date-time, RFC 3339" };
  if (type === "time.Duration" || type === "Duration")
    return { kind: "int64", hint: "duration, nanoseconds" };
  return undefined;
}

function jsonHint(type: string): string {
  if (type.startsWith("[]") || /^\[\d+\]/.test(type)) return `${type}, a JSON array`;
  if (type === "" || type.startsWith("map[")) return `${type || "map or unnamed"}, JSON`;
  return `${type}, JSON`;
}

// deeper structs become one JSON input: a form nested further helps nobody
const MAX_FIELDSET_DEPTH = 4;

/** Ids unique within the page: `{prefix}-{n}`. */
export class IdSource {
  #n = 0;
  constructor(readonly prefix: string) {}
  next(): string {
    return `${this.prefix}-${++this.#n}`;
  }
}

/** The inputs for `request`'s fields; empty when it advertises none (the raw JSON box is all then). */
export function requestFields(request: Value | undefined, ids: IdSource): Html | undefined {
  const fields = (request?.values ?? []).filter((f) => f.name);
  if (!fields.length) return undefined;
  return html`${fields.map((f) => fieldInput(f, [], ids, 0))}`;
}

function fieldInput(f: Value, parent: string[], ids: IdSource, depth: number): Html {
  const path = [...parent, f.name];
  const isStruct =
    !!f.values?.length && !f.type.startsWith("[]") && !f.type.startsWith("map[") && f.type !== "";
  if (isStruct && depth < MAX_FIELDSET_DEPTH) {
    const inner = f.values!.filter((v) => v.name).map((v) => fieldInput(v, path, ids, depth + 1));
    return html`<fieldset class="struct" data-struct="${JSON.stringify(path)}">
<legend>${f.name} <span class="field-type">${f.type}</span></legend>
${inner}
</fieldset>`;
  }
  const input = (!f.values?.length && scalarInput(f.type)) || {
    kind: "json" as const,
    hint: jsonHint(f.type),
  };
  const id = ids.next();
  const data = html`data-path="${JSON.stringify(path)}" data-kind="${input.kind}" aria-describedby="${id}-hint"`;
  const hint = html`<span class="hint" id="${id}-hint">${input.hint}</span>`;
  if (input.kind === "bool") {
    return html`<div class="field check"><input type="checkbox" id="${id}" ${data}> <label for="${id}">${f.name}</label> ${hint}</div>`;
  }
  const control =
    input.kind === "number"
      ? html`<input type="number" step="any" id="${id}" ${data}>`
      : input.kind === "integer"
        ? html`<input type="number" step="1" id="${id}" ${data}>`
        : input.kind === "int64"
          ? html`<input type="text" inputmode="numeric" pattern="-?[0-9]+" id="${id}" ${data}>`
          : input.kind === "json"
            ? html`<input type="text" class="json" spellcheck="false" id="${id}" ${data}>`
            : html`<input type="text" id="${id}" ${data}>`;
  return html`<div class="field"><label for="${id}">${f.name}</label> ${control} ${hint}</div>`;
}
