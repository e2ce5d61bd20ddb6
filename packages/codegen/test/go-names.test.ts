// protoc's CamelCase, which decides the Go names go-micro routes and advertises.
import { expect, it } from "vitest";
import { goCamelCase } from "../src/go-names.js";

it.each([
  ["SayHello", "SayHello"],
  ["say_hello", "SayHello"],
  ["sayHello", "SayHello"],
  ["v2_get", "V2Get"],
  ["a1b", "A1B"],
  ["_x", "XX"],
  ["Outer_Inner", "Outer_Inner"],
  ["get_user_request_reply_body", "GetUserRequestReplyBody"],
  ["HTTPServer", "HTTPServer"],
])("%s → %s", (name, go) => {
  expect(goCamelCase(name)).toBe(go);
});
