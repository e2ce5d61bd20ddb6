// The fuzz suite of a codec: unmarshal with no message type and with each sample's type, and, for
// codecs of go-micro's legacy protocol, the envelope's unwrap for requests and responses. Seeds are
// the samples' own encodings; every decode failure must be a MicroError.
import type { Codec, MessageType } from "@micro/core";
import { type CodecHeader, envelopeOf, MessageKind } from "@micro/core/plugin-kit";
import { expect } from "vitest";
import { testDecoderFuzz } from "./fuzz-suite.js";

export interface CodecFuzzSample {
  value: unknown;
  type?: MessageType;
}

export interface CodecFuzzOptions {
  codec: Codec;
  /** Values whose encodings seed the mutations; each message type among them is fuzzed on its own. */
  samples: CodecFuzzSample[];
  /** Bodies added to the seeds as they are (a Go peer's bytes, say), for their type. */
  bodies?: { bytes: Uint8Array | string; type?: MessageType }[];
  /** Whether what decodes must re-encode stably (default true). */
  stable?: boolean;
  /** How a value decoded again is compared with the first (default toEqual); see sameJSONValue. */
  equal?: (again: unknown, first: unknown) => void;
  /** Inputs per property (default fuzzRuns()). */
  runs?: number;
  /** Longest arbitrary body (default 512 bytes). */
  maxLength?: number;
}

const utf8 = new TextEncoder();
const asBytes = (b: Uint8Array | string) => (typeof b === "string" ? utf8.encode(b) : b);

function typeName(type: MessageType): string {
  const full = (type as { fullName?: unknown }).fullName;
  return typeof full === "string" ? full.replace(/^\./, "") : (type.name ?? "a message type");
}

type Unwrapped = { header: CodecHeader; body: Uint8Array };

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");

// go-micro writes an empty body after an error, so an error reply's body does not come back
function sameEnvelope(again: Unwrapped, first: Unwrapped): void {
  expect(again.header).toEqual(first.header);
  expect(hex(again.body)).toBe(first.header.error ? "" : hex(first.body));
}

// every number as the text it is written as, bigint or not
function numbersAsText(v: unknown): unknown {
  if (typeof v === "bigint") return String(v);
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (Array.isArray(v)) return v.map(numbersAsText);
  if (v && typeof v === "object" && !(v instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, numbersAsText(x)]));
  }
  return v;
}

/**
 * Compares decoded JSON values number by number as they are written, whatever their JavaScript type:
 * 1e20 decodes to a number, is written back as 100000000000000000000 (as Go writes it) and decodes
 * again to a bigint, the codecs' exact form of an integer beyond 2^53. The same number, so equal.
 */
export function sameJSONValue(again: unknown, first: unknown): void {
  expect(numbersAsText(again)).toEqual(numbersAsText(first));
}

const HEADER: CodecHeader = { id: "7", method: "Greeter.Hello", endpoint: "Greeter.Hello" };

export function testCodecFuzz(name: string, options: CodecFuzzOptions): void {
  const { codec } = options;
  const common = { runs: options.runs, maxLength: options.maxLength };
  const bodies = options.samples
    .map((s) => ({ type: s.type, bytes: codec.marshal(s.value, s.type) }))
    .concat((options.bodies ?? []).map((b) => ({ type: b.type, bytes: asBytes(b.bytes) })));
  const types = [undefined, ...new Set(options.samples.map((s) => s.type).filter((t) => t !== undefined))];
  for (const type of types) {
    const own = bodies.filter((b) => b.type === type).map((b) => b.bytes);
    testDecoderFuzz(`${name} unmarshal${type ? ` as ${typeName(type)}` : ""}`, {
      ...common,
      decode: (b) => codec.unmarshal(b, type),
      ...(options.stable === false ? {} : { encode: (v: unknown) => codec.marshal(v, type) }),
      ...(options.equal ? { equal: options.equal } : {}),
      // with no type a codec still sees every kind of body its peers send
      seeds: own.length ? own : bodies.map((b) => b.bytes),
    });
  }

  const envelope = envelopeOf(codec);
  if (!envelope) return;
  const kinds = [
    ["request", MessageKind.Request],
    ["response", MessageKind.Response],
  ] as const;
  for (const [label, kind] of kinds) {
    const seeds = bodies.map((b) => envelope.wrap(kind, HEADER, b.bytes));
    if (kind === MessageKind.Response)
      seeds.push(envelope.wrap(kind, { ...HEADER, error: "boom" }, new Uint8Array(0)));
    testDecoderFuzz(`${name} envelope of a ${label}`, {
      ...common,
      decode: (b) => envelope.unwrap(kind, b),
      encode: ({ header, body }) => envelope.wrap(kind, header, body),
      equal: sameEnvelope,
      seeds,
    });
  }
}
