// The conformance suite every Codec runs: what go-micro's server and client rely on whatever the
// Content-Type. Samples with `bytes` pin the exact body a Go peer writes and reads.
import { type Codec, type Config, Frame, getPlugin, type MessageType } from "@micro/core";
import { findCodec } from "@micro/core/plugin-kit";
import { describe, expect, it } from "vitest";
import { expectMicroError } from "./helpers.js";

export interface CodecSample {
  /** What the application marshals. */
  value: unknown;
  type?: MessageType;
  /** The exact body `value` encodes to (as Go writes it), when known. */
  bytes?: Uint8Array | string;
  /** What unmarshal returns for the body, when it differs from `value` (defaults filled in...). */
  decoded?: unknown;
  /** A short label for the test name. */
  label?: string;
}

export interface CodecCase {
  /** Must reject with a MicroError. */
  bytes?: Uint8Array | string;
  value?: unknown;
  type?: MessageType;
  label?: string;
}

export interface CodecSuiteOptions {
  codec: Codec;
  /** At least one; the first is also used for the Frame and stability checks. */
  samples: CodecSample[];
  /** go-micro's codec name (default: the suite name). */
  name?: string;
  /** The Content-Types the codec must claim, canonical first (default: whatever it claims, non-empty). */
  contentTypes?: string[];
  /** Bodies unmarshal must reject with a MicroError (400). */
  invalidBodies?: CodecCase[];
  /** Values marshal must reject with a MicroError. */
  invalidValues?: CodecCase[];
  /** What an empty body decodes to (per type); omit to only require that it does not throw. */
  empty?: { type?: MessageType; decoded: unknown }[];
  /** Check the codec is registered in the plugin table under its name (default true). */
  registered?: boolean;
}

const utf8 = new TextEncoder();
const asBytes = (b: Uint8Array | string) => (typeof b === "string" ? utf8.encode(b) : b);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const show = (b: Uint8Array) => `${JSON.stringify(Buffer.from(b).toString("latin1"))} (hex ${hex(b)})`;

function label(c: { label?: string; value?: unknown; bytes?: unknown }, i: number): string {
  if (c.label) return c.label;
  const v = c.bytes !== undefined ? c.bytes : c.value;
  if (v instanceof Uint8Array) return `#${i} ${hex(v).slice(0, 24)}`;
  try {
    return `#${i} ${String(JSON.stringify(v)).slice(0, 40)}`;
  } catch {
    return `#${i}`;
  }
}

function expectDetailedError(fn: () => unknown, code?: number): void {
  expect(expectMicroError(fn, code === undefined ? {} : { code }).detail.length).toBeGreaterThan(0);
}

export function testCodec(name: string, options: CodecSuiteOptions): void {
  const { codec } = options;
  if (!options.samples.length) throw new Error("testCodec needs at least one sample");

  describe(`codec conformance: ${name}`, () => {
    it("has go-micro's name", () => {
      expect(codec.name).toBe(options.name ?? name);
    });

    if (options.registered !== false) {
      it("is registered as a codec plugin under its name, with its Content-Types", () => {
        const def = getPlugin("codec", codec.name);
        expect(def, `no codec plugin named ${codec.name}`).toBeDefined();
        const contentTypes = def!.contentTypes ?? [];
        expect(contentTypes.length).toBeGreaterThan(0);
        if (options.contentTypes) expect([...contentTypes]).toEqual(options.contentTypes);
        // go-micro matches Content-Type exactly; a parameter would never match
        for (const ct of contentTypes) expect(ct).toMatch(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/);
        // registered from its package, so its version is the package's
        expect(def!.package).toMatch(/^@/);
        const made = def!.create({ addresses: [], flags: {} as Config, logger: console });
        expect(made.name).toBe(codec.name);
        for (const ct of contentTypes) expect(findCodec(ct)?.name).toBe(codec.name);
      });
    }

    options.samples.forEach((sample, i) => {
      describe(`sample ${label(sample, i)}`, () => {
        it("round trips", () => {
          const body = codec.marshal(sample.value, sample.type);
          expect(body).toBeInstanceOf(Uint8Array);
          expect(codec.unmarshal(body, sample.type)).toEqual(sample.decoded ?? sample.value);
        });

        if (sample.bytes !== undefined) {
          const want = asBytes(sample.bytes);
          it("encodes to the exact bytes a Go peer writes", () => {
            const got = codec.marshal(sample.value, sample.type);
            expect(show(got)).toBe(show(want));
          });
          it("decodes the exact bytes a Go peer writes", () => {
            expect(codec.unmarshal(want, sample.type)).toEqual(sample.decoded ?? sample.value);
          });
        }

        it("encodes the same value to the same bytes every time", () => {
          const a = codec.marshal(sample.value, sample.type);
          const b = codec.marshal(sample.value, sample.type);
          expect(hex(b)).toBe(hex(a));
        });

        it("leaves the body it decodes untouched", () => {
          const body = codec.marshal(sample.value, sample.type);
          const copy = Uint8Array.from(body);
          codec.unmarshal(body, sample.type);
          expect(hex(body)).toBe(hex(copy));
        });
      });
    });

    it("passes a Frame through verbatim, with or without a message type", () => {
      const raws = [
        new Uint8Array(0),
        utf8.encode('{"name":"John"}'),
        Uint8Array.from([0, 1, 2, 0xfe, 0xff]),
        ...options.samples.filter((s) => s.bytes !== undefined).map((s) => asBytes(s.bytes!)),
      ];
      for (const raw of raws) {
        expect(hex(codec.marshal(new Frame(raw)))).toBe(hex(raw));
        for (const s of options.samples) expect(hex(codec.marshal(new Frame(raw), s.type))).toBe(hex(raw));
      }
    });

    it("decodes an empty body without throwing", () => {
      const types = new Set<MessageType | undefined>([undefined, ...options.samples.map((s) => s.type)]);
      for (const type of types) expect(() => codec.unmarshal(new Uint8Array(0), type)).not.toThrow();
    });

    for (const [i, e] of (options.empty ?? []).entries()) {
      it(`decodes an empty body to its zero value (${e.type?.name ?? `#${i}`})`, () => {
        expect(codec.unmarshal(new Uint8Array(0), e.type)).toEqual(e.decoded);
      });
    }

    for (const [i, bad] of (options.invalidBodies ?? []).entries()) {
      it(`rejects a bad body with a 400 MicroError (${label(bad, i)})`, () => {
        expectDetailedError(() => codec.unmarshal(asBytes(bad.bytes ?? new Uint8Array(0)), bad.type), 400);
      });
    }

    for (const [i, bad] of (options.invalidValues ?? []).entries()) {
      it(`rejects a value it cannot encode with a MicroError (${label(bad, i)})`, () => {
        expectDetailedError(() => codec.marshal(bad.value, bad.type));
      });
    }
  });
}
