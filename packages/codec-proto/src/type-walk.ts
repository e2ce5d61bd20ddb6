// Which message types need a look at decoded or outgoing values: asked once per type (and cached by
// the callers), so messages of types that need nothing cost one lookup.
import protobuf from "protobufjs";

/** The message type of a field (single, repeated or map value), if its values are messages. */
export const messageType = (f: protobuf.Field): protobuf.Type | undefined =>
  f.resolvedType instanceof protobuf.Type ? f.resolvedType : undefined;

/** Whether a field of `type`, or of any message type reachable from it, passes `test`. */
export function reaches(type: protobuf.Type, test: (f: protobuf.Field) => boolean): boolean {
  const seen = new Set<protobuf.Type>([type]);
  const todo = [type];
  for (let t = todo.pop(); t; t = todo.pop()) {
    for (const f of t.fieldsArray) {
      f.resolve();
      if (test(f)) return true;
      const m = messageType(f);
      if (m && !seen.has(m)) {
        seen.add(m);
        todo.push(m);
      }
    }
  }
  return false;
}
