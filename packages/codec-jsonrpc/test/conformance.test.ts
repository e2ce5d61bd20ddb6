import { testCodec } from "@micro/testing/codec";
import { jsonRpcCodec } from "../src/index.js";

const circular: Record<string, unknown> = {};
circular.self = circular;

// marshal/unmarshal handle the bare values inside the envelope (and events): Go's encoding/json
testCodec("json-rpc", {
  codec: jsonRpcCodec,
  contentTypes: ["application/json-rpc"],
  samples: [
    { value: { name: "John" }, bytes: '{"name":"John"}\n' },
    { value: { msg: "Hello John" }, bytes: '{"msg":"Hello John"}\n' },
    { value: { html: "<&>" }, bytes: '{"html":"\\u003c\\u0026\\u003e"}\n' },
    { value: [1, "two", null], bytes: '[1,"two",null]\n' },
    { value: null, bytes: "null\n" },
  ],
  invalidBodies: [
    { label: "not JSON", bytes: "{name" },
    { label: "two values", bytes: '{"a":1} {"b":2}' },
  ],
  invalidValues: [{ label: "circular structure", value: circular }],
  empty: [{ decoded: {} }],
});
