// Header lines may end in a bare LF: Go's textproto reads up to "\n" and drops one "\r" before it, so
// a Go server accepts "POST / HTTP/1.1\nHost: x\n\n". Peers almost always send CRLF, so the parser
// looks for "\r\n\r\n" first and comes here only when that fails or the block turns out to hold a
// bare LF.

const CR = 13;
const LF = 10;

/**
 * The index just past the blank line that ends a header block starting at `from` ("\n\n" or
 * "\n\r\n", whatever the other lines end with); -1 when it has not arrived yet.
 */
export function blankLineEnd(buf: Buffer, from: number): number {
  let i = buf.indexOf(LF, from);
  while (i >= 0) {
    const next = buf[i + 1];
    if (next === LF) return i + 2;
    if (next === CR && buf[i + 2] === LF) return i + 3;
    i = buf.indexOf(LF, i + 1);
  }
  return -1;
}

/** Whether `buf[from, to)` holds an LF with no CR before it. */
export function hasBareLF(buf: Buffer, from: number, to: number): boolean {
  let i = buf.indexOf(LF, from);
  while (i >= 0 && i < to) {
    if (i === from || buf[i - 1] !== CR) return true;
    i = buf.indexOf(LF, i + 1);
  }
  return false;
}

/** `text` with every line ending in CRLF (a CR not followed by LF stays, for the value check to refuse). */
export function toCRLF(text: string): string {
  let i = text.indexOf("\n");
  while (i > 0 && text.charCodeAt(i - 1) === CR) i = text.indexOf("\n", i + 1);
  // the usual case, all CRLF already: no copy
  return i < 0 ? text : text.replace(/\r?\n/g, "\r\n");
}
