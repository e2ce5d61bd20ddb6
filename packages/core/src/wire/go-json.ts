// Go's encoding/json escapes <, > and & (and U+2028/9); bytes we write where Go compares or
// signs them must match.

/** JSON.stringify with Go's encoding/json HTML escaping, so our bytes equal Go's. */
export function goJSON(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    // a bigint (an int64 beyond 2^53) is written as the bare number Go writes; a replacer would slow
    // every other value down, so it is only used once JSON.stringify has refused one
    if (!(err instanceof TypeError) || !/BigInt/i.test(err.message)) throw err;
    text = JSON.stringify(value, bigintAsNumber);
  }
  return goEscape(text);
}

// JSON.rawJSON (Node 21+; core needs 22) writes text as it is, so a bigint keeps every digit
const { rawJSON } = JSON as unknown as { rawJSON: (text: string) => unknown };

/** A JSON.stringify replacer that writes a bigint as the bare number Go writes for an int64. */
export function bigintAsNumber(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? rawJSON(value.toString()) : value;
}

export function goEscape(json: string): string {
  if (!/[<>&\u2028\u2029]/.test(json)) return json;
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
