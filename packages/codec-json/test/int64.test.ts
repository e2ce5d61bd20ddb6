// Go's int64 and uint64 beyond 2^53 in plain (untyped) JSON: decoded as bigint with every digit,
// written back as the same bare JSON number, so a Go peer reads back what it sent.
import { goJSON } from "@micro/core/plugin-kit";
import { describe, expect, it } from "vitest";
import { jsonCodec } from "../src/json-codec.js";
import { types } from "./fixtures.js";

const body = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const decode = (s: string) => jsonCodec.unmarshal(body(s));

describe("json codec, integers beyond 2^53 in plain values", () => {
  it("keeps 2^53-1 and smaller a number, and turns 2^53 and beyond into an exact bigint", () => {
    expect(decode("9007199254740991")).toBe(9007199254740991);
    expect(decode("-9007199254740991")).toBe(-9007199254740991);
    expect(decode("9007199254740992")).toBe(9007199254740992n);
    expect(decode("9007199254740993")).toBe(9007199254740993n);
    expect(decode("-9007199254740993")).toBe(-9007199254740993n);
    expect(decode("[0,-0,1,42,-7]")).toEqual([0, -0, 1, 42, -7]);
  });

  it("reads Go's int64 and uint64 limits exactly", () => {
    const v = decode(
      '{"min":-9223372036854775808,"near_min":-9223372036854775807,"max":9223372036854775807,"umax":18446744073709551615}\n',
    );
    expect(v).toEqual({
      min: -9223372036854775808n,
      near_min: -9223372036854775807n,
      max: 9223372036854775807n,
      umax: 18446744073709551615n,
    });
    // beyond uint64 too: JSON has no limit, and neither has bigint
    expect(decode("123456789012345678901234567890")).toBe(123456789012345678901234567890n);
  });

  it("leaves floats and exponents as numbers, however big", () => {
    expect(decode("[1.5,9007199254740993.0,1e20,1E+21,-2.5e300,0.1234567890123456789]")).toEqual([
      1.5, 9007199254740992, 1e20, 1e21, -2.5e300, 0.12345678901234568,
    ]);
  });

  it("refuses a number beyond float64 (1e400) with a 400, as Go does, rather than write it back as null", () => {
    // Go: json: cannot unmarshal number 1e400 into Go value of type float64 (found by fuzzing: it
    // decoded to Infinity, which JSON writes as null)
    for (const t of ["1e400", "[1,-1E400]", '{"a":{"b":1e309}}', '{"n":9007199254740993,"x":1e400}']) {
      expect(() => decode(t), t).toThrow(/json: invalid body .*out of the range of a float64/);
    }
  });

  it("leaves long digit runs in strings alone", () => {
    expect(decode('{"id":"12345678901234567890","n":1}')).toEqual({ id: "12345678901234567890", n: 1 });
  });

  it("finds them nested in objects and arrays, keeping key order and the other values", () => {
    const v = decode(
      '{"z":1,"a":{"list":[1,9007199254740993,{"deep":[-9223372036854775807]}],"s":"x"},"m":null,"b":true}',
    );
    expect(v).toEqual({
      z: 1,
      a: { list: [1, 9007199254740993n, { deep: [-9223372036854775807n] }], s: "x" },
      m: null,
      b: true,
    });
    expect(Object.keys(v as object)).toEqual(["z", "a", "m", "b"]);
    expect(typeof (v as { z: unknown }).z).toBe("number");
  });

  it("writes a bigint as the bare JSON number, at any depth", () => {
    expect(text(jsonCodec.marshal({ a: [1n, -9223372036854775808n], u: 18446744073709551615n }))).toBe(
      '{"a":[1,-9223372036854775808],"u":18446744073709551615}\n',
    );
    expect(text(jsonCodec.marshal(9007199254740993n))).toBe("9007199254740993\n");
  });

  it.each([
    '{"ints":[9007199254740993,-9223372036854775807],"uints":[18446744073709551615]}\n',
    '{"id":9223372036854775807,"name":"x","price":1.25,"nested":{"list":[1,2,-9007199254740993]}}\n',
    "[-9223372036854775808,0,9007199254740991,9007199254740992]\n",
    '{"html":"\\u003cb\\u003e","n":12345678901234567890}\n',
  ])("round-trips Go's bytes unchanged: %s", (goBytes) => {
    expect(text(jsonCodec.marshal(decode(goBytes)))).toBe(goBytes);
  });
});

describe("json codec, integers beyond 2^53: the fast exact path agrees with a source-text reviver", () => {
  // the reference: JSON.parse reading each number's source text
  const reference = (text: string) =>
    JSON.parse(text, ((_k: string, v: unknown, ctx?: { source?: string }) =>
      typeof v === "number" && !Number.isSafeInteger(v) && /^-?\d+$/.test(ctx?.source ?? "")
        ? BigInt(ctx!.source!)
        : v) as (k: string, v: unknown) => unknown);

  it("on strings that look like numbers, escapes, a \\u0000 string of its own, integer-like keys", () => {
    for (const t of [
      '{"s":"a\\"b 12345678901234567890","n":[9007199254740992,1.5e300,12345678901234567.5,-0,18446744073709551615]}',
      '{"\\u0000":"\\u00009007199254740993","n":9007199254740993}',
      '{"x":"\\\\","y":"\\\\\\"","2":9007199254740993,"1":-9007199254740993,"__proto__":12345678901234567890}',
      "[1e20,100000000000000000000,1E300,-1e-400]",
      "  \n\t-9223372036854775808 \r\n",
    ]) {
      expect(decode(t), t).toEqual(reference(t));
    }
    expect(decode('{"a":"\\u0000x","n":9007199254740993}')).toEqual({ a: "\u0000x", n: 9007199254740993n });
  });

  it("on random documents", () => {
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const leaf = (): unknown =>
      pick([
        () => BigInt(Math.floor(rnd() * 2 ** 53)) * BigInt(Math.floor(rnd() * 2 ** 11)) * pick([1n, -1n]),
        () => 9007199254740991 * pick([1, -1]),
        () => pick([9007199254740992n, -9007199254740992n, 18446744073709551615n, -9223372036854775808n]),
        () => Math.floor(rnd() * 1e6) - 5e5,
        () => rnd() * 10 ** Math.floor(rnd() * 40),
        () => `s${Math.floor(rnd() * 1e17)}"\\${pick(["", "-", "\u0000", "\n", "9007199254740993"])}`,
        () => pick([true, false, null]),
      ])();
    const value = (depth: number): unknown => {
      if (depth > 3 || rnd() < 0.4) return leaf();
      if (rnd() < 0.5) return Array.from({ length: Math.floor(rnd() * 5) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 5); i > 0; i--)
        o[pick(["a", "b", "7", "12", 'k"', "9007199254740993"])] = value(depth + 1);
      return o;
    };
    const rawJSON = (JSON as unknown as { rawJSON: (t: string) => unknown }).rawJSON;
    for (let i = 0; i < 2000; i++) {
      const json = JSON.stringify(value(0), (_k, v) => (typeof v === "bigint" ? rawJSON(v.toString()) : v));
      expect(decode(json), json).toEqual(reference(json));
      expect(text(jsonCodec.marshal(decode(json))), json).toBe(`${json}\n`);
    }
  });
});

describe("json codec, integers beyond 2^53 in typed messages", () => {
  const { Account } = types(false);
  it("hands the type's fromObject the exact decimal text (64-bit fields stay strings)", () => {
    const v = jsonCodec.unmarshal(
      body('{"user_id":"u","big_id":18446744073709551615,"balance_cents":-9223372036854775807}'),
      Account,
    ) as Record<string, unknown>;
    expect(v.bigId).toBe("18446744073709551615");
    expect(v.balanceCents).toBe("-9223372036854775807");
    const small = jsonCodec.unmarshal(body('{"big_id":9007199254740991}'), Account) as Record<
      string,
      unknown
    >;
    expect(small.bigId).toBe("9007199254740991");
  });
});

describe("goJSON (core's Go-escaped JSON outside the codec)", () => {
  it("writes a bigint as the bare number too, and everything else as before", () => {
    expect(goJSON({ id: -9223372036854775807n, s: "<b>", n: 1 })).toBe(
      '{"id":-9223372036854775807,"s":"\\u003cb\\u003e","n":1}',
    );
    expect(goJSON([1, "x"])).toBe('[1,"x"]');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => goJSON(circular)).toThrow(/circular/i);
  });
});
