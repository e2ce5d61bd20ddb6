// msgpackr reads its own extensions into JavaScript values no other MessagePack implementation
// sends: records, Error, RegExp, Set, typed arrays, undefined, bundled strings, and references that
// build circular values. A peer could hand a handler an Error, a RegExp or a cycle (found by
// fuzzing). Bodies are held to the standard format before msgpackr sees them: the only extension
// read is the timestamp (type -1, of 4, 8 or 12 bytes), as application extensions already were
// refused, and the never-used 0xc1 is refused wherever it stands.

/** Whether `b` holds a byte that could be an extension's or 0xc1 (most bodies do not: no walk). */
function mayBeNonStandard(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if (x === 0xc1 || (x >= 0xc7 && x <= 0xc9) || (x >= 0xd4 && x <= 0xd8)) return true;
  }
  return false;
}

// bytes after the type byte that hold no values: fixed-size scalars and fixext payloads (type + data)
const FIXED: Record<number, number> = {
  202: 4,
  203: 8,
  204: 1,
  205: 2,
  206: 4,
  207: 8,
  208: 1,
  209: 2,
  210: 4,
  211: 8,
};
const FIXEXT: Record<number, number> = { 212: 1, 213: 2, 214: 4, 215: 8, 216: 16 };

function extension(type: number, length: number): string | undefined {
  if (type === 0xff && (length === 4 || length === 8 || length === 12)) return undefined;
  if (type === 0xff) return `timestamp extension of ${length} bytes (4, 8 or 12)`;
  return `extension type ${type > 127 ? type - 256 : type} (only the timestamp, -1, is read)`;
}

/**
 * Why `b` is not standard MessagePack, or undefined. Walks the values without decoding them (each
 * step consumes a byte, so the walk is linear); a body cut short is left for msgpackr to report.
 */
export function nonStandard(b: Uint8Array): string | undefined {
  if (!mayBeNonStandard(b)) return undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const len = b.length;
  let pos = 0;
  // values still to read: a map of n entries adds 2n, an array of n adds n
  let pending = 1;
  const has = (n: number) => pos + n <= len;
  while (pending > 0 && pos < len) {
    pending--;
    const t = b[pos++]!;
    if (t <= 0x7f || t >= 0xe0) continue; // fixint
    if (t <= 0x8f) pending += 2 * (t & 0x0f);
    else if (t <= 0x9f) pending += t & 0x0f;
    else if (t <= 0xbf)
      pos += t & 0x1f; // fixstr
    else if (t === 0xc1) return "reserved type byte 0xc1";
    else if (t === 0xc0 || t === 0xc2 || t === 0xc3) continue;
    else if (FIXED[t] !== undefined) pos += FIXED[t]!;
    else if (FIXEXT[t] !== undefined) {
      if (!has(1)) return undefined;
      const why = extension(b[pos]!, FIXEXT[t]!);
      if (why) return why;
      pos += 1 + FIXEXT[t]!;
    } else if (t === 0xc7 || t === 0xc8 || t === 0xc9) {
      // ext 8/16/32: length, type, data
      const size = t === 0xc7 ? 1 : t === 0xc8 ? 2 : 4;
      if (!has(size + 1)) return undefined;
      const length = size === 1 ? b[pos]! : size === 2 ? view.getUint16(pos) : view.getUint32(pos);
      const why = extension(b[pos + size]!, length);
      if (why) return why;
      pos += size + 1 + length;
    } else if (t === 0xc4 || t === 0xd9) {
      if (!has(1)) return undefined;
      pos += 1 + b[pos]!; // bin 8, str 8
    } else if (t === 0xc5 || t === 0xda) {
      if (!has(2)) return undefined;
      pos += 2 + view.getUint16(pos); // bin 16, str 16
    } else if (t === 0xc6 || t === 0xdb) {
      if (!has(4)) return undefined;
      pos += 4 + view.getUint32(pos); // bin 32, str 32
    } else if (t === 0xdc || t === 0xde) {
      if (!has(2)) return undefined;
      pending += (t === 0xde ? 2 : 1) * view.getUint16(pos); // array 16, map 16
      pos += 2;
    } else if (t === 0xdd || t === 0xdf) {
      if (!has(4)) return undefined;
      pending += (t === 0xdf ? 2 : 1) * view.getUint32(pos); // array 32, map 32
      pos += 4;
    }
  }
  return undefined;
}
