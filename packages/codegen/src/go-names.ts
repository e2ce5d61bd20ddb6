// The names Go code generated from a .proto uses (protoc-gen-go types, protoc-gen-micro handler and
// method names), which is what go-micro routes and advertises.

const isLower = (c: string) => c >= "a" && c <= "z";
const isDigit = (c: string) => c >= "0" && c <= "9";

/**
 * protoc's CamelCase: words start at `_` or an upper-case letter and are capitalized, an underscore
 * before a lower-case letter is dropped, digits are words of their own (`say_hello` → `SayHello`,
 * `v2_get` → `V2Get`, `_x` → `XX`).
 */
export function goCamelCase(s: string): string {
  let out = "";
  let i = 0;
  if (s.startsWith("_")) {
    out = "X";
    i = 1;
  }
  for (; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === "_" && i + 1 < s.length && isLower(s.charAt(i + 1))) continue;
    if (isDigit(c)) {
      out += c;
      continue;
    }
    out += isLower(c) ? c.toUpperCase() : c;
    while (i + 1 < s.length && isLower(s.charAt(i + 1))) out += s.charAt(++i);
  }
  return out;
}
