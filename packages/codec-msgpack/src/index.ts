import { registerPlugin } from "@micro/core";
import { msgpackCodec } from "./msgpack-codec.js";

export { msgpackCodec } from "./msgpack-codec.js";

registerPlugin({
  kind: "codec",
  name: "msgpack",
  from: import.meta.url,
  contentTypes: ["application/msgpack", "application/x-msgpack"],
  description: "MessagePack (application/msgpack, application/x-msgpack), on msgpackr",
  create: () => msgpackCodec,
});
