// The greeter node a Go server registers (@micro/testing/vectors), as go-micro's mdns registry publishes it: JSON with keys Metadata,
// Service, Version, Endpoints, zlib-compressed, hex, in TXT strings of 255 characters (https://github.com/micro/go-micro/blob/v5.30.0/registry/mdns_registry.go).
import type { Service } from "@micro/core";
import { goGreeter } from "@micro/testing/vectors";

export const GREETER: Service = goGreeter();

export const GREETER_TXT_JSON =
  '{"Metadata":{"broker":"http","protocol":"mucp","registry":"mdns","server":"mucp","transport":"http"},"Service":"greeter","Version":"latest","Endpoints":[{"request":{"name":"Request","type":"Request","values":[{"name":"name","type":"string","values":null}]},"response":{"name":"Response","type":"Response","values":[{"name":"msg","type":"string","values":null}]},"metadata":{},"name":"Greeter.Hello"}]}';

export const GREETER_TXT_STRINGS = [
  "789c8d90316ec3300c45efc2d9c801bc17cdd22505ba0419549b5085ca944ad2010cc3772fe5a8ae8d2e9d243dbcaf4f69861754d73b75d0cef0cee913195af850cdd040e6a4a94bd1c830768530fa20ca53213d891141beaf996a283b929c587fae591a7835277468c433a29adec01bb28444c6a2531435f4447d4e8154a0b",
  "dce56f535166e73911b4af85289954cf908ee2eda6ecd55795d36d3660ee477228d312eb7a5bcc8a625c1434f45bba28dfc6d1ac4ffa768f8fd683bd5ecf3e33f4e678c318179dfbbc18838",
];
