// go-micro's protorpc netstrings: a 4-byte big-endian length, then that many bytes.
import { MicroError } from "@micro/core";

const ID = "go.micro.codec";

export function netstrings(...parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += 4 + p.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    view.setUint32(at, p.length);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}

/** The netstring at `at`, and where the next one starts; a 400 when the data is cut short. */
export function readNetstring(
  data: Uint8Array,
  at: number,
  what: string,
): { value: Uint8Array; next: number } {
  if (data.length - at < 4) {
    throw MicroError.badRequest(
      ID,
      `proto-rpc: ${what} length prefix truncated (${data.length - at} of 4 bytes)`,
    );
  }
  const length = new DataView(data.buffer, data.byteOffset + at, 4).getUint32(0);
  const start = at + 4;
  if (data.length - start < length) {
    throw MicroError.badRequest(
      ID,
      `proto-rpc: ${what} says ${length} bytes but only ${data.length - start} follow`,
    );
  }
  return { value: data.subarray(start, start + length), next: start + length };
}
