// A protobuf schema for fuzzing the codecs that carry protobuf or its JSON form: every scalar, enums,
// nested and recursive messages, repeated and packed fields, a oneof, and maps of every key kind
// with message, bytes and scalar values (where protobufjs and Go have differed). Each codec package
// parses it with its own protobufjs (the test kit depends on none).

export const FUZZ_PROTO = `
syntax = "proto3";
package fuzz;

enum Kind { KIND_UNSPECIFIED = 0; KIND_A = 1; KIND_B = 2; }

message Leaf { string name = 1; int32 n = 2; bytes data = 3; }

message Tree { string name = 1; repeated Tree children = 2; map<string, Tree> by_name = 3; }

message All {
  double f64 = 1; float f32 = 2; int32 i32 = 3; int64 i64 = 4; uint32 u32 = 5; uint64 u64 = 6;
  sint32 s32 = 7; sint64 s64 = 8; fixed32 fx32 = 9; fixed64 fx64 = 10; sfixed32 sfx32 = 11;
  sfixed64 sfx64 = 12; bool flag = 13; string text = 14; bytes data = 15; Kind kind = 16;
  Leaf leaf = 17;
  repeated Leaf leaves = 18;
  repeated int64 longs = 19;
  repeated Kind kinds = 20;
  repeated double doubles = 21;
  repeated string texts = 22;
  map<string, Leaf> leaf_by_name = 23;
  map<int64, string> name_by_id = 24;
  map<uint64, bytes> data_by_uid = 25;
  map<bool, Kind> kind_by_flag = 26;
  map<int32, Tree> tree_by_n = 27;
  map<string, string> labels = 28;
  map<sint64, Leaf> leaf_by_sid = 29;
  map<fixed64, int32> n_by_fid = 30;
  oneof choice { string choice_text = 31; Leaf choice_leaf = 32; }
  Tree tree = 33;
}
`;

/**
 * Values of `fuzz.All` and `fuzz.Tree` in the shape codecs hand applications (lowerCamelCase names,
 * 64-bit integers as decimal strings, enums as names), to encode into seeds.
 */
export const FUZZ_PROTO_SAMPLES: readonly {
  type: "fuzz.All" | "fuzz.Tree";
  value: Record<string, unknown>;
}[] = [
  { type: "fuzz.All", value: {} },
  {
    type: "fuzz.All",
    value: {
      f64: 1.5,
      f32: -2.25,
      i32: -7,
      i64: "-9223372036854775808",
      u32: 4294967295,
      u64: "18446744073709551615",
      s32: -1,
      s64: "9223372036854775807",
      fx32: 7,
      fx64: "12345678901234567",
      sfx32: -8,
      sfx64: "-12345678901234567",
      flag: true,
      text: "héllo ✓ 🌍",
      data: Uint8Array.from([0, 1, 0xfe, 0xff]),
      kind: "KIND_B",
      leaf: { name: "leaf", n: 3, data: Uint8Array.from([9]) },
      leaves: [{ name: "a" }, { n: 2 }],
      longs: ["1", "-1", "9007199254740993"],
      kinds: ["KIND_A", "KIND_B"],
      doubles: [0.5, -0, 1e300],
      texts: ["", "x", "ÿ"],
      leafByName: { one: { name: "1", n: 1 }, "": { name: "empty key" } },
      nameById: { "5": "five", "-2": "minus two", "9223372036854775807": "max" },
      dataByUid: { "18446744073709551615": Uint8Array.from([1, 2]), "0": new Uint8Array(0) },
      kindByFlag: { true: "KIND_A", false: "KIND_B" },
      treeByN: { "-1": { name: "t", children: [{ name: "c" }] } },
      labels: { env: "prod", "": "" },
      leafBySid: { "-3": { n: -3 } },
      nByFid: { "42": 42 },
      choiceLeaf: { name: "chosen" },
      tree: { name: "root", byName: { kid: { name: "kid", byName: { grandkid: {} } } } },
    },
  },
  { type: "fuzz.All", value: { choiceText: "text choice", labels: { a: "b" } } },
  {
    type: "fuzz.Tree",
    value: { name: "r", children: [{ name: "a", children: [{ name: "b" }] }], byName: { x: { name: "x" } } },
  },
];
