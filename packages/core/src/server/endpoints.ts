// Registry schemas for endpoints: go-micro advertises request/response Value trees.
import type { MessageType } from "../codec.js";
import type { Endpoint, Value } from "../registry.js";

interface ReflectedField {
  type: string;
  repeated?: boolean;
  map?: boolean;
  resolvedType?: unknown;
}

/** A Value tree from a protobufjs Type (reflection), 3 levels deep like go-micro's extractor. */
export function schemaOf(type: MessageType | undefined, depth = 0): Value | undefined {
  if (!type) return undefined;
  const name = type.name ?? "Message";
  const fields = (type as unknown as { fields?: Record<string, ReflectedField> }).fields;
  const v: Value = { name, type: name };
  if (fields && depth < 3) {
    v.values = Object.entries(fields).map(([fname, f]) => {
      const nested =
        f.resolvedType && (f.resolvedType as { fields?: unknown }).fields
          ? (f.resolvedType as MessageType)
          : undefined;
      const typeName = f.map ? "" : f.repeated ? `[]${f.type}` : f.type;
      const inner = nested ? schemaOf(nested, depth + 1) : undefined;
      return inner ? { ...inner, name: fname, type: typeName } : { name: fname, type: typeName };
    });
  }
  return v;
}

export function handlerEndpoint(
  name: string,
  opts: {
    requestType?: MessageType;
    responseType?: MessageType;
    request?: Value;
    response?: Value;
    metadata?: Record<string, string>;
  },
  stream: boolean,
): Endpoint {
  const e: Endpoint = { name, metadata: { ...(opts.metadata ?? {}), ...(stream ? { stream: "true" } : {}) } };
  const req = opts.request ?? schemaOf(opts.requestType);
  const rsp = opts.response ?? schemaOf(opts.responseType);
  if (req) e.request = req;
  if (rsp) e.response = rsp;
  return e;
}

export function subscriberEndpoint(name: string, topic: string, type?: MessageType): Endpoint {
  const e: Endpoint = { name, metadata: { topic, subscriber: "true" } };
  const req = schemaOf(type);
  if (req) e.request = req;
  return e;
}
