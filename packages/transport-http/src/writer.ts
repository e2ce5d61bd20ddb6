// Serializes header fields the way Go's http.Header.Write does (canonical keys, sorted, CR/LF in
// values turned into spaces, surrounding blanks trimmed) and writes a frame with one syscall.
import type { Socket as NetSocket } from "node:net";
import { validFieldValue, valueByteOK } from "./field-value.js";
import { canonicalHeaderKey } from "./header-keys.js";

/** One header line, kept with its key so sorted lists can be merged. */
export interface Field {
  key: string;
  /** `Key: value\r\n` */
  line: string;
}

export class InvalidHeaderError extends Error {}

/** `header` as canonical fields sorted by key; keys in `skip` are left out, the last duplicate wins. */
export function headerFields(header: Record<string, string>, skip: ReadonlySet<string>): Field[] {
  const out: Field[] = [];
  for (const raw in header) {
    const key = canonicalHeaderKey(raw);
    if (key === undefined) throw new InvalidHeaderError(`invalid header field name ${JSON.stringify(raw)}`);
    if (skip.has(key)) continue;
    const field = { key, line: `${key}: ${cleanValue(header[raw])}\r\n` };
    // insertion sort: messages carry a handful of headers
    let i = out.length;
    while (i > 0 && out[i - 1]!.key > key) i--;
    if (i > 0 && out[i - 1]!.key === key) out[i - 1] = field;
    else out.splice(i, 0, field);
  }
  return out;
}

/** The lines of two sorted field lists, `over` replacing `base` entries with the same key. */
export function mergeLines(base: readonly Field[], over: readonly Field[]): string {
  let out = "";
  for (const f of mergeFields(base, over)) out += f.line;
  return out;
}

/** Two sorted field lists merged, `over` replacing `base` entries with the same key. */
function mergeFields(base: readonly Field[], over: readonly Field[]): Field[] {
  if (base.length === 0) return over as Field[];
  const out: Field[] = [];
  let i = 0;
  let j = 0;
  while (i < base.length || j < over.length) {
    if (j === over.length) out.push(base[i++]!);
    else if (i === base.length) out.push(over[j++]!);
    else {
      const b = base[i]!.key;
      const o = over[j]!.key;
      if (b < o) out.push(base[i++]!);
      else {
        if (b === o) i++;
        out.push(over[j++]!);
      }
    }
  }
  return out;
}

const NO_FIELDS: readonly Field[] = [];

/**
 * Serializes the header maps of one socket, remembering the last one: RPC peers send the same keys
 * on every message and change a value or two (Micro-Id), so usually only those lines are rebuilt and
 * nothing is canonicalized or sorted again.
 */
export class HeaderEncoder {
  #keys: string[] = [];
  #values: unknown[] = [];
  /** The field each input key produced, when it is the one that made it into the output. */
  #byInput: (Field | undefined)[] = [];
  #sorted: Field[] = [];
  #base: readonly Field[] = NO_FIELDS;
  #out: string | undefined;
  /** The output without #split's line: what comes before it and after it. */
  #split: Field | undefined;
  #before = "";
  #after = "";

  constructor(private readonly skip: ReadonlySet<string>) {}

  /** The header lines of `header` merged over `base` (both sorted), CRLF-terminated. */
  encode(header: Record<string, string>, base: readonly Field[] = NO_FIELDS): string {
    const keys = this.#keys;
    const values = this.#values;
    let i = 0;
    let changes = 0;
    let changed: Field | undefined;
    let reshape = false;
    for (const raw in header) {
      if (raw !== keys[i]) {
        reshape = true;
        break;
      }
      const v = header[raw];
      if (v !== values[i]) {
        values[i] = v;
        changes++;
        const f = this.#byInput[i];
        if (f) {
          f.line = `${f.key}: ${cleanValue(v)}\r\n`;
          changed = f;
        }
      }
      i++;
    }
    const same = !reshape && i === keys.length && base === this.#base && this.#out !== undefined;
    if (same && changes === 0) return this.#out!;
    if (same && changes === 1 && changed !== undefined) {
      // one value changed (a request's Micro-Id): splice its line between the unchanged text
      // around it, valid as long as every encode since the split changed only this field
      if (this.#split !== changed) this.#splitAround(changed, base);
      this.#out = this.#before + changed.line + this.#after;
      return this.#out;
    }
    if (reshape || i !== keys.length) this.#rebuild(header);
    this.#split = undefined;
    this.#base = base;
    this.#out = mergeLines(base, this.#sorted);
    return this.#out;
  }

  #splitAround(field: Field, base: readonly Field[]): void {
    const all = mergeFields(base, this.#sorted);
    const at = all.indexOf(field);
    this.#before = all.slice(0, at).reduce((s, f) => s + f.line, "");
    this.#after = all.slice(at + 1).reduce((s, f) => s + f.line, "");
    this.#split = field;
  }

  #rebuild(header: Record<string, string>): void {
    this.#keys = [];
    this.#out = undefined;
    const sorted = headerFields(header, this.skip);
    const keys = Object.keys(header);
    const byInput: (Field | undefined)[] = new Array(keys.length);
    const taken = new Set<string>();
    // the last of several raw keys with one canonical form is the one that was kept
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = canonicalHeaderKey(keys[i]!)!;
      if (taken.has(key)) continue;
      taken.add(key);
      byInput[i] = sorted.find((f) => f.key === key);
    }
    this.#sorted = sorted;
    this.#byInput = byInput;
    this.#values = keys.map((k) => header[k]);
    this.#keys = keys;
  }
}

/** A value as a header line may carry it: control characters as spaces, surrounding blanks trimmed. */
export function cleanValue(value: unknown): string {
  let v = typeof value === "string" ? value : String(value);
  // a CR or LF would end the header early and let a value inject headers or a whole message; any
  // other control byte would get the request refused (Go's client refuses to send it at all)
  if (!validFieldValue(v)) v = controlsAsSpaces(v);
  let s = 0;
  let e = v.length;
  while (s < e && (v.charCodeAt(s) === 32 || v.charCodeAt(s) === 9)) s++;
  while (e > s && (v.charCodeAt(e - 1) === 32 || v.charCodeAt(e - 1) === 9)) e--;
  return s === 0 && e === v.length ? v : v.slice(s, e);
}

function controlsAsSpaces(v: string): string {
  let out = "";
  for (let i = 0; i < v.length; i++) out += valueByteOK(v.charCodeAt(i)) ? v[i] : " ";
  return out;
}

// Below this a body is copied next to the header block so the frame is one buffer; above, the copy
// would cost more than a vectored write of two.
const COPY_LIMIT = 16 * 1024;

/** Writes header block + body; returns socket.write's verdict (false: wait for 'drain'). */
export function writeFrame(conn: NetSocket, head: string, body: Uint8Array): boolean {
  if (body.length <= COPY_LIMIT) {
    const headLen = Buffer.byteLength(head);
    const frame = Buffer.allocUnsafe(headLen + body.length);
    frame.write(head, 0, headLen, "utf8");
    if (body.length > 0) frame.set(body, headLen);
    return conn.write(frame);
  }
  conn.cork();
  conn.write(head);
  const ok = conn.write(body);
  conn.uncork();
  return ok;
}
