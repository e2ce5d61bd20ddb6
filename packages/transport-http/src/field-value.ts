// Which bytes a header value may hold, as Go's textproto decides (validHeaderValueByte, the reader's
// side of httpguts.ValidHeaderFieldValue): no control bytes but tab, so NUL, a bare CR or DEL in a
// value makes the request a 400. Bytes from 0x80 up (obs-text) are allowed.

/** Whether `code` (a byte, or a code point of decoded text) may appear in a header value. */
export function valueByteOK(code: number): boolean {
  return code >= 0x20 ? code !== 0x7f : code === 0x09;
}

/** Whether every character of `value` may appear in a header value. */
export function validFieldValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    if (!valueByteOK(value.charCodeAt(i))) return false;
  }
  return true;
}
