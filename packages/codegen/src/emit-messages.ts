// Message interfaces and enums. Every field is optional: protojson leaves zero values out, so a
// Go service's answer may lack any of them.
import type { EnumModel, MessageModel } from "./model.js";
import type { TypeNames } from "./ts-types.js";

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

export function emitEnum(e: EnumModel): string {
  const names = e.values.map(([n]) => JSON.stringify(n)).join(" | ");
  return [
    `export const ${e.tsName} = {`,
    ...e.values.map(([n, v]) => `  ${key(n)}: ${v},`),
    "} as const;",
    `/** protojson writes enum names; numbers are accepted too. */`,
    `export type ${e.tsName} = ${names || "never"} | number;`,
  ].join("\n");
}

export function emitMessage(m: MessageModel, names: TypeNames): string {
  if (m.fields.length === 0) return `export type ${m.tsName} = Record<string, never>;`;
  return [
    `export interface ${m.tsName} {`,
    ...m.fields.map((f) => `  ${key(f.jsonName)}?: ${names.field(f)};`),
    "}",
  ].join("\n");
}
