// The two tiny protobuf messages of codec/protorpc/envelope.proto, encoded by hand:
//   Request  { string service_method = 1; fixed64 seq = 2; }
//   Response { string service_method = 1; fixed64 seq = 2; string error = 3; }
// proto3 leaves zero values out, so seq 0 and empty strings are not written.
import { MicroError } from "@micro/core";

const ID = "go.micro.codec";
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const UINT64_MAX = 2n ** 64n - 1n;

export interface EnvelopeHeader {
  serviceMethod: string;
  seq: bigint;
  error: string;
}

/** Go's `strconv.ParseUint(id, 10, 64)`, with 0 on failure as go-micro's codec does. */
export function seqOf(id: string): bigint {
  if (!/^\d+$/.test(id)) return 0n;
  const n = BigInt(id);
  return n > UINT64_MAX ? 0n : n;
}

function varint(n: number, out: number[]): void {
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
}

function stringField(tag: number, value: string, out: number[]): void {
  if (!value) return;
  const bytes = utf8.encode(value);
  out.push(tag);
  varint(bytes.length, out);
  for (const b of bytes) out.push(b);
}

export function encodeHeader(h: EnvelopeHeader): Uint8Array {
  const out: number[] = [];
  stringField(0x0a, h.serviceMethod, out); // field 1, wire type 2
  if (h.seq !== 0n) {
    out.push(0x11); // field 2, wire type 1 (fixed64, little-endian)
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, h.seq, true);
    for (const x of b) out.push(x);
  }
  stringField(0x1a, h.error, out); // field 3, wire type 2 (responses only)
  return Uint8Array.from(out);
}

function bad(detail: string): MicroError {
  return MicroError.badRequest(ID, `proto-rpc: invalid envelope header: ${detail}`);
}

class Reader {
  at = 0;
  constructor(readonly data: Uint8Array) {}

  varint(): number {
    let result = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (this.at >= this.data.length) throw bad("truncated varint");
      const b = this.data[this.at++]!;
      // lengths and tags beyond 2^53 are nonsense for a header; keep the arithmetic exact
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
    }
    throw bad("varint longer than 10 bytes");
  }

  take(n: number): Uint8Array {
    if (n > this.data.length - this.at)
      throw bad(`field runs ${n - (this.data.length - this.at)} bytes past the end`);
    const v = this.data.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
}

function text(bytes: Uint8Array, field: string): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw bad(`${field} is not UTF-8`);
  }
}

/** Reads either message (a Request simply has no error); unknown fields are skipped, as protobuf does. */
export function decodeHeader(data: Uint8Array): EnvelopeHeader {
  const h: EnvelopeHeader = { serviceMethod: "", seq: 0n, error: "" };
  const r = new Reader(data);
  while (r.at < data.length) {
    const key = r.varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw bad("field number 0");
    if (field === 1 && wire === 2) h.serviceMethod = text(r.take(r.varint()), "service_method");
    else if (field === 2 && wire === 1) h.seq = new DataView(r.take(8).slice().buffer).getBigUint64(0, true);
    else if (field === 3 && wire === 2) h.error = text(r.take(r.varint()), "error");
    else if (wire === 0) r.varint();
    else if (wire === 1) r.take(8);
    else if (wire === 2) r.take(r.varint());
    else if (wire === 5) r.take(4);
    else throw bad(`field ${field} has wire type ${wire}, which a Request/Response never uses`);
  }
  return h;
}
