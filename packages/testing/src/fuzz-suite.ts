// The shared fuzz suite: `fuzzIt` runs one property on the short or long budget and reports its
// figures; `testDecoderFuzz` is the whole suite of one decoder.
import { isMicroError } from "@micro/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzRuns, fuzzSeed, fuzzTimeout, reportFigures } from "./fuzz-budget.js";
import { anyBytes, mutated } from "./fuzz-inputs.js";
import { type Accepts, Probe, showInput } from "./fuzz-probe.js";

export interface FuzzOptions {
  /** The errors the target documents (default: MicroError). */
  accepts?: Accepts;
  /** Inputs to run (default: fuzzRuns()). */
  runs?: number;
}

/**
 * An `it` that runs `check` on `runs` inputs from `inputs`; `check` hands each input to the target
 * through `probe.run`, which fails the property on an undocumented throw or a slow input.
 */
export function fuzzIt<I>(
  title: string,
  inputs: fc.Arbitrary<I>,
  check: (input: I, probe: Probe) => void,
  options: FuzzOptions = {},
): void {
  const runs = options.runs ?? fuzzRuns();
  it(
    title,
    () => {
      // the describe blocks' names: the title is reported on its own
      const target = (expect.getState().currentTestName ?? title).replace(` > ${title}`, "");
      const probe = new Probe(target, options.accepts);
      const started = performance.now();
      let failure: string | undefined;
      let tried = 0;
      try {
        fc.assert(
          fc.property(inputs, (input) => {
            tried++;
            check(input, probe);
          }),
          { numRuns: runs, seed: fuzzSeed() },
        );
      } catch (err) {
        failure = (err as Error).message.slice(0, 4000);
        throw err;
      } finally {
        reportFigures({
          target,
          property: title,
          inputs: tried,
          runs: probe.runs,
          seconds: Math.round((performance.now() - started) / 10) / 100,
          slowestMs: Math.round(probe.slowestMs * 100) / 100,
          slowestAgainMs: Math.round(probe.retimeSlowest() * 100) / 100,
          slowest: showInput(probe.slowest, 300),
          rejected: probe.rejected,
          ...(probe.engineMessages
            ? { engineMessages: probe.engineMessages, engineExample: probe.engineExample }
            : {}),
          ...(failure ? { failure } : {}),
        });
      }
    },
    fuzzTimeout(runs),
  );
}

/** The check of a decoder: each input decodes to a value or an accepted error, quickly. */
export function decodesOrMicroError<T>(decode: (input: Uint8Array) => T) {
  return (input: Uint8Array, probe: Probe): void => {
    probe.run(input, decode);
  };
}

export interface DecoderFuzzOptions<T> extends FuzzOptions {
  decode: (input: Uint8Array) => T;
  /** Valid encodings to mutate (at least one); each must decode. */
  seeds: readonly Uint8Array[];
  /**
   * When given, what decodes is re-encoded stably: decode(encode(v)) equals v (`equal`, default
   * toEqual) and encodes to the same bytes again. encode may refuse a value with an accepted error.
   */
  encode?: (value: T) => Uint8Array;
  equal?: (again: T, first: T) => void;
  /** Longest arbitrary input (default 512 bytes). */
  maxLength?: number;
}

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");

/** The fuzz suite of one decoder: arbitrary bytes, mutated valid inputs, and the re-encoding. */
export function testDecoderFuzz<T>(name: string, options: DecoderFuzzOptions<T>): void {
  const { decode, encode, seeds } = options;
  if (seeds.length === 0) throw new Error(`testDecoderFuzz(${name}) needs at least one valid encoding`);
  const equal = options.equal ?? ((again: T, first: T) => expect(again).toEqual(first));
  describe(`fuzz: ${name}`, () => {
    it("decodes every valid seed", () => {
      // also compiles whatever the decoder compiles on first use, before anything is timed
      for (const seed of seeds) expect(() => decode(seed), showInput(seed)).not.toThrow();
    });

    fuzzIt(
      "arbitrary bytes: a value or an accepted error, each under the time limit",
      anyBytes(options.maxLength),
      decodesOrMicroError(decode),
      options,
    );

    fuzzIt(
      "mutated valid inputs: a value or an accepted error, each under the time limit",
      mutated(seeds),
      decodesOrMicroError(decode),
      options,
    );

    if (encode) {
      const inputs = fc.oneof(fc.constantFrom(...seeds), mutated(seeds, 2));
      fuzzIt(
        "encode(decode(x)) is stable: it decodes to the same value and encodes to the same bytes",
        inputs,
        (input, probe) => {
          const first = probe.run(input, decode);
          if (!first.ok) return;
          let bytes: Uint8Array;
          try {
            bytes = encode(first.value);
          } catch (err) {
            // a value that cannot go back out (a datetime beyond Date's range...) may be refused,
            // loudly; never written as something else
            if ((options.accepts ?? isMicroError)(err)) return;
            throw err;
          }
          const again = decode(bytes);
          equal(again, first.value);
          expect(hex(encode(again)), showInput(input)).toBe(hex(bytes));
        },
        options,
      );
    }
  });
}
