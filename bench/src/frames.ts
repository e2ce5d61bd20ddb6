// Length-prefixed frames (4-byte big-endian length + payload): the raw TCP baseline's wire format.
export function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + payload.length);
  out.writeUInt32BE(payload.length, 0);
  payload.copy(out, 4);
  return out;
}

/** Feeds chunks, calls `onFrame` for each complete payload. */
export function deframer(onFrame: (payload: Buffer) => void): (chunk: Buffer) => void {
  let buf: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    while (buf.length >= 4) {
      const n = buf.readUInt32BE(0);
      if (buf.length < 4 + n) break;
      onFrame(buf.subarray(4, 4 + n));
      buf = buf.subarray(4 + n);
    }
  };
}
