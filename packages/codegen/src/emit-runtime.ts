// The message types the codecs need at run time, as protobufjs reflection built from the .proto's
// JSON descriptor embedded in the output (no .proto file or protoc at run time). With them the json
// codec sends proto field names (what every Go decoder accepts) and accepts both spellings, and
// application/protobuf works for callers that choose it.
import type { MessageModel, ProtoModel } from "./model.js";

// protobufjs converts google.protobuf types to its own object forms, not protojson's (a Timestamp
// as {seconds, nanos}, not an RFC 3339 string), and a Go peer rejects those. Messages holding one
// travel as plain JSON in the protojson form instead; google.protobuf.Empty is `{}` either way.
const PLAIN_JSON_ONLY = (fullName: string) =>
  fullName.startsWith("google.protobuf.") && fullName !== "google.protobuf.Empty";

/** The messages that can be given to the codecs as protobufjs types (see above). */
export function typedMessages(messages: readonly MessageModel[]): Set<string> {
  const byName = new Map(messages.map((m) => [m.fullName, m]));
  const verdict = new Map<string, boolean>();
  const ok = (full: string): boolean => {
    const known = verdict.get(full);
    if (known !== undefined) return known;
    const m = byName.get(full);
    if (!m) return !PLAIN_JSON_ONLY(full);
    verdict.set(full, true); // a recursive reference decides nothing by itself
    const result = m.fields.every((f) => f.kind !== "message" || ok(f.type));
    verdict.set(full, result);
    return result;
  };
  return new Set(messages.filter((m) => ok(m.fullName)).map((m) => m.fullName));
}

export function emitRuntime(model: ProtoModel, typed: readonly MessageModel[]): string {
  if (typed.length === 0) return "";
  return [
    "// protobufjs reflection of the messages, for the codecs: JSON goes out with proto field names",
    "// and is read in either spelling, and application/protobuf can be chosen per call.",
    // parsed rather than written as a literal: protobufjs' descriptor types do not list every key
    `const $root = protobuf.Root.fromJSON(JSON.parse(${JSON.stringify(JSON.stringify(model.descriptor))}));`,
    "const $type = <T>(name: string) => $root.lookupType(name) as unknown as micro.MessageType<T>;",
    "",
    "/** Message types for call, publish and subscribe options (`messageType`, `requestType`...). */",
    "export const messageTypes = {",
    ...typed.map((m) => `  ${m.tsName}: $type<${m.tsName}>(${JSON.stringify(m.fullName)}),`),
    "} as const;",
  ].join("\n");
}
