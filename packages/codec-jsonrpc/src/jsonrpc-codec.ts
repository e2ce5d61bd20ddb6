// go-micro's json-rpc codec (application/json-rpc): what a Go client speaks to a node that has no
// `protocol` metadata. Bare values are plain JSON (events use it); calls add the envelope.

import { jsonCodec } from "@micro/codec-json";
import type { EnvelopeCodec } from "@micro/core/plugin-kit";
import { unwrapEnvelope, wrapEnvelope } from "./envelope.js";

export const jsonRpcCodec: EnvelopeCodec = {
  name: "json-rpc",
  // the inner value is written and read exactly as the json codec does (Go uses encoding/json too)
  marshal: (value, type) => jsonCodec.marshal(value, type),
  unmarshal: (data, type) => jsonCodec.unmarshal(data, type),
  envelope: { wrap: wrapEnvelope, unwrap: unwrapEnvelope },
};
