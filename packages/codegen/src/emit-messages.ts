// Message interfaces and enums. One interface serves both directions, so every field is optional:
// what you send may leave fields out, and what arrives lacks unset oneof and proto3 `optional`
// members (and any field, for messages that travel as plain JSON).
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
    // `| undefined` spelled out for exactOptionalPropertyTypes: an undefined field is an unset one
    ...m.fields.map((f) => `  ${key(f.jsonName)}?: ${names.field(f)} | undefined;`),
    "}",
  ].join("\n");
}
