import { registerPlugin } from "@micro/core";
import { msgpackCodec } from "./msgpack-codec.js";

export { msgpackCodec } from "./msgpack-codec.js";

registerPlugin({
  kind: "codec",
  name: "msgpack",
  version: "0.1.0",
  description: "MessagePack (application/msgpack, application/x-msgpack), on msgpackr",
  create: () => msgpackCodec,
});
