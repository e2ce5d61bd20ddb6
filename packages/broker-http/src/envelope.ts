// The envelope lives in core: the http, nats and kafka brokers share it.
export { decodeEnvelope, EnvelopeError, encodeEnvelope } from "@micro/core/plugin-kit";
