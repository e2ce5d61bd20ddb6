import { registerPlugin } from "@micro/core";
import { bsonCodec } from "./bson-codec.js";

export { bsonCodec } from "./bson-codec.js";

registerPlugin({
  kind: "codec",
  name: "bson",
  from: import.meta.url,
  contentTypes: ["application/bson"],
  description: "BSON documents (application/bson), on the bson package",
  create: () => bsonCodec,
});
