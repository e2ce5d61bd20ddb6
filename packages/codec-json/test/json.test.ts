import { Frame, MicroError } from "@micro/core";
import { describe, expect, it } from "vitest";
import { encodeGoJSON, jsonCodec } from "../src/index.js";
import { types } from "./fixtures.js";

const text = (b: Uint8Array) => Buffer.from(b).toString();
const body = (s: string) => new TextEncoder().encode(s);

describe("json codec, plain values", () => {
  it("writes Go's trailing newline and tolerates any trailing whitespace", () => {
    expect(text(jsonCodec.marshal({ a: 1 }))).toBe('{"a":1}\n');
    expect(jsonCodec.unmarshal(body('{"a":1}'))).toEqual({ a: 1 });
    expect(jsonCodec.unmarshal(body('{"a":1}\r\n \t\n'))).toEqual({ a: 1 });
    expect(jsonCodec.unmarshal(body(' \n{"a":1}'))).toEqual({ a: 1 });
  });

  it("decodes an empty or blank body to {} (Go's server never decodes one)", () => {
    expect(jsonCodec.unmarshal(new Uint8Array(0))).toEqual({});
    expect(jsonCodec.unmarshal(body(" \n"))).toEqual({});
  });

  it("encodes like Go: []byte as base64, int64 with every digit, nil as null", () => {
    expect(text(encodeGoJSON({ data: Buffer.from("hi"), raw: Uint8Array.from([1, 2]) }))).toBe(
      '{"data":"aGk=","raw":"AQI="}\n',
    );
    expect(text(jsonCodec.marshal({ id: 9007199254740993n }))).toBe('{"id":9007199254740993}\n');
    expect(text(jsonCodec.marshal(undefined))).toBe("null\n");
    expect(text(jsonCodec.marshal({ s: "\u2028" }))).toBe('{"s":"\\u2028"}\n');
  });

  it("passes a Frame through verbatim (micro call and gateways send unparsed JSON)", () => {
    const raw = body('{"name":"John"}');
    expect(jsonCodec.marshal(new Frame(raw))).toBe(raw);
  });

  it("rejects bad JSON with a 400 from go.micro.codec that says why", () => {
    try {
      jsonCodec.unmarshal(body('{"name":'));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MicroError);
      const e = err as MicroError;
      expect(e.id).toBe("go.micro.codec");
      expect(e.code).toBe(400);
      expect(e.detail).toMatch(/^json: invalid body \(8 bytes\): /);
    }
  });
});

describe.each([
  ["camelCase (protobufjs default)", false],
  ["keepCase", true],
])("json codec with protobufjs types loaded %s", (_, keepCase) => {
  const { Account, Request } = types(keepCase);
  const k = (snake: string, camel: string) => (keepCase ? snake : camel);

  it("sends original proto field names, 64-bit ints as strings, enums as names, bytes as base64", () => {
    const value = {
      [k("user_id", "userId")]: "u1",
      [k("balance_cents", "balanceCents")]: 12,
      kind: 2,
      [k("by_label", "byLabel")]: { home: { [k("street_name", "streetName")]: "Elm" } },
      [k("avatar_png", "avatarPng")]: Uint8Array.from([1, 2, 3]),
      [k("big_id", "bigId")]: "18446744073709551615",
      primary: { [k("street_name", "streetName")]: "Main" },
    };
    expect(JSON.parse(text(jsonCodec.marshal(value, Account)))).toEqual({
      user_id: "u1",
      balance_cents: "12",
      kind: "KIND_ADMIN",
      by_label: { home: { street_name: "Elm" } },
      avatar_png: "AQID",
      big_id: "18446744073709551615",
      primary: { street_name: "Main" },
    });
  });

  it("drops fields the message does not have (Go's decoders reject unknown fields)", () => {
    expect(text(jsonCodec.marshal({ name: "John", extra: 1 }, Request))).toBe('{"name":"John"}\n');
  });

  it("accepts camelCase and snake_case, numbers or strings for 64-bit, enum names or numbers", () => {
    const snake = jsonCodec.unmarshal(
      body(
        '{"user_id":"a","balance_cents":7,"kind":1,"big_id":18446744073709551615,"home_addresses":[{"street_name":"x"}]}\n',
      ),
      Account,
    ) as Record<string, unknown>;
    const camel = jsonCodec.unmarshal(
      body(
        '{"userId":"a","balanceCents":"7","kind":"KIND_USER","bigId":"18446744073709551615","homeAddresses":[{"streetName":"x"}]}',
      ),
      Account,
    );
    expect(snake).toEqual(camel);
    expect(snake[k("user_id", "userId")]).toBe("a");
    expect(snake[k("balance_cents", "balanceCents")]).toBe("7");
    expect(snake.kind).toBe("KIND_USER");
    // the exact digits survive even though the JSON number is beyond 2^53
    expect(snake[k("big_id", "bigId")]).toBe("18446744073709551615");
    expect(snake[k("home_addresses", "homeAddresses")]).toEqual([{ [k("street_name", "streetName")]: "x" }]);
  });

  it("fills zero values like a Go struct, for empty and null bodies", () => {
    const zero = {
      [k("user_id", "userId")]: "",
      [k("balance_cents", "balanceCents")]: "0",
      kind: "KIND_UNSPECIFIED",
      [k("home_addresses", "homeAddresses")]: [],
      [k("by_label", "byLabel")]: {},
      [k("avatar_png", "avatarPng")]: Buffer.alloc(0), // protobufjs gives Node Buffers for bytes
      [k("big_id", "bigId")]: "0",
      primary: null,
    };
    expect(jsonCodec.unmarshal(new Uint8Array(0), Account)).toEqual(zero);
    expect(jsonCodec.unmarshal(body("null\n"), Account)).toEqual(zero);
  });

  it("takes a message instance as well as a plain object", () => {
    const t = Request as unknown as { create(v: object): object };
    expect(text(jsonCodec.marshal(t.create({ name: "Jane" }), Request))).toBe('{"name":"Jane"}\n');
  });
});

// Plain values skip the replacer; these must come out exactly as the replacer path writes them.
describe("json codec, values that need Go's rules deep inside", () => {
  const text = (v: unknown) => new TextDecoder().decode(encodeGoJSON(v));
  it("finds bytes, bigints and toJSON at any depth", () => {
    expect(text({ a: [{ b: new Uint8Array([1, 2, 3]) }] })).toBe('{"a":[{"b":"AQID"}]}\n');
    expect(text({ a: { b: [1n << 60n] } })).toBe('{"a":{"b":[1152921504606846976]}}\n');
    const inner = { toJSON: () => ({ raw: Buffer.from("hi") }) };
    expect(text({ x: inner })).toBe('{"x":{"raw":"aGk="}}\n');
    expect(text({ s: "<a&b>", n: null, d: new Date(0) })).toBe(
      '{"s":"\\u003ca\\u0026b\\u003e","n":null,"d":"1970-01-01T00:00:00.000Z"}\n',
    );
  });
  it("keeps a negative zero as Go does: -0 in, -0 out (found by fuzzing)", () => {
    // Go: json.Marshal(math.Copysign(0, -1)) is -0, and decoding {"b":-0} then encoding it gives -0
    expect(text(-0)).toBe("-0\n");
    expect(text({ b: -0, l: [0, -0], n: { z: -0 } })).toBe('{"b":-0,"l":[0,-0],"n":{"z":-0}}\n');
    const decoded = jsonCodec.unmarshal(body('{"b":-0}'));
    expect(text(decoded)).toBe('{"b":-0}\n');
  });
  it("writes values too big to scan through the replacer", () => {
    const big = Array.from({ length: 300 }, (_, i) => ({ i }));
    (big[299] as Record<string, unknown>).b = new Uint8Array([255]);
    expect(text(big).endsWith('{"i":299,"b":"/w=="}]\n')).toBe(true);
  });
});
