// The envelope lives in core: the http, nats and kafka brokers share it.
export { decodeEnvelope, encodeEnvelope, EnvelopeError } from "@micro/core/plugin-kit";
