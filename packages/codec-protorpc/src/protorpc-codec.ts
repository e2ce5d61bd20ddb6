// go-micro's proto-rpc codec (application/proto-rpc): what a Go client speaks to a node without
// `protocol` metadata for protobuf and octet-stream calls. The inner body is plain protobuf.

import { protoCodec } from "@micro/codec-proto";
import type { EnvelopeCodec } from "@micro/core/plugin-kit";
import { unwrapEnvelope, wrapEnvelope } from "./envelope.js";

export const protoRpcCodec: EnvelopeCodec = {
  name: "proto-rpc",
  // a message type, a Uint8Array or a Frame, exactly as the proto codec takes them
  marshal: (value, type) => protoCodec.marshal(value, type),
  unmarshal: (data, type) => protoCodec.unmarshal(data, type),
  envelope: { wrap: wrapEnvelope, unwrap: unwrapEnvelope },
};
