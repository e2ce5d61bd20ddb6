import { testCodec } from "@micro/testing/codec";
import { jsonCodec } from "../src/index.js";
import { types } from "./fixtures.js";

const { Request, Account } = types(false);

const circular: Record<string, unknown> = {};
circular.self = circular;

testCodec("json", {
  codec: jsonCodec,
  contentTypes: ["application/json"],
  samples: [
    // the request body a Go client writes: encoding/json's output and a newline
    { value: { name: "John" }, bytes: '{"name":"John"}\n' },
    { value: { msg: "Hello John" }, bytes: '{"msg":"Hello John"}\n' },
    // Go's encoder escapes HTML-significant characters
    {
      value: { html: "<a href='x'>&</a>" },
      bytes: '{"html":"\\u003ca href=\'x\'\\u003e\\u0026\\u003c/a\\u003e"}\n',
    },
    { value: { nested: { list: [1, 2.5, -3], ok: true, none: null }, text: "héllo ✓" } },
    { value: "just a string", bytes: '"just a string"\n' },
    { value: [], bytes: "[]\n" },
    { value: null, bytes: "null\n" },
    { label: "proto Request", value: { name: "John" }, type: Request, bytes: '{"name":"John"}\n' },
    {
      label: "proto Account (original field names on the wire)",
      type: Account,
      value: {
        userId: "u1",
        balanceCents: "-42",
        kind: "KIND_ADMIN",
        homeAddresses: [{ streetName: "Main" }],
      },
      bytes:
        '{"user_id":"u1","balance_cents":"-42","kind":"KIND_ADMIN","home_addresses":[{"street_name":"Main"}]}\n',
      decoded: {
        userId: "u1",
        balanceCents: "-42",
        kind: "KIND_ADMIN",
        homeAddresses: [{ streetName: "Main" }],
        byLabel: {},
        avatarPng: Buffer.alloc(0),
        bigId: "0",
        primary: null,
      },
    },
  ],
  invalidBodies: [
    { label: "truncated object", bytes: '{"name":' },
    { label: "not JSON", bytes: "hello" },
    { label: "two values", bytes: '{"a":1} {"b":2}' },
    { label: "array for a message", bytes: "[1,2]", type: Request },
    { label: "number for a nested message", bytes: '{"primary":5}', type: Account },
  ],
  invalidValues: [{ label: "circular structure", value: circular }],
  empty: [{ decoded: {} }, { type: Request, decoded: { name: "" } }],
});
