import type { MessageType } from "@micro/core";
import protobuf from "protobufjs";

export const PROTO = `
syntax = "proto3";
package greeter;
message Request { string name = 1; }
enum Kind { KIND_UNSPECIFIED = 0; KIND_USER = 1; KIND_ADMIN = 2; }
message Address { string street_name = 1; }
message Account {
  string user_id = 1;
  int64 balance_cents = 2;
  Kind kind = 3;
  repeated Address home_addresses = 4;
  map<string, Address> by_label = 5;
  bytes avatar_png = 6;
  uint64 big_id = 7;
  Address primary = 8;
}
`;

export function types(keepCase: boolean) {
  const root = protobuf.parse(PROTO, { keepCase }).root;
  root.resolveAll();
  return {
    Request: root.lookupType("greeter.Request") as unknown as MessageType,
    Account: root.lookupType("greeter.Account") as unknown as MessageType,
  };
}
