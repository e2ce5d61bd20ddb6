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

const rawJSON = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;

function bigintAsNumber(_key: string, value: unknown): unknown {
  if (typeof value !== "bigint") return value;
  return rawJSON ? rawJSON(value.toString()) : value.toString();
}

export function goEscape(json: string): string {
  if (!/[<>&\u2028\u2029]/.test(json)) return json;
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
