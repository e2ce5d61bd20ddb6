// Registry schemas for endpoints: go-micro advertises request/response Value trees.
import { IDEMPOTENT_KEY } from "../client/idempotency.js";
import type { MessageType } from "../codec.js";
import type { Endpoint, Value } from "../registry.js";
import type { StreamKind } from "./types.js";

/** Endpoint metadata saying which kind of stream an endpoint is: "server" or "bidi". */
export const STREAM_KIND_KEY = "stream_kind";

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
    idempotent?: boolean;
  },
  stream: StreamKind | undefined,
): Endpoint {
  const e: Endpoint = {
    name,
    metadata: {
      ...(opts.metadata ?? {}),
      ...(opts.idempotent === undefined ? {} : { [IDEMPOTENT_KEY]: String(opts.idempotent) }),
      // go-micro marks every stream "true"; the kind is ours, for gateways and agents (a bidi
      // endpoint takes messages after the first, a server stream does not)
      ...(stream ? { stream: "true", [STREAM_KIND_KEY]: stream } : {}),
    },
  };
  const req = opts.request ?? schemaOf(opts.requestType);
  const rsp = opts.response ?? schemaOf(opts.responseType);
  if (req) e.request = req;
  if (rsp) e.response = rsp;
  return e;
}

/**
 * A subscriber's endpoint name. go-micro names every function subscriber `Func` and a struct's
 * methods `Type.Method` (https://github.com/micro/go-micro/blob/v5.30.0/server/subscriber.go); the
 * record is told apart by its metadata (`subscriber: "true"`, `topic`), not its name. A named function
 * keeps its name (`bound ` prefixes dropped); an anonymous one is named after its topic in
 * PascalCase (`user.created` → `UserCreated`), stable across restarts; `Func` if the topic has no
 * letters or digits.
 */
export function subscriberName(fnName: string, topic: string): string {
  const own = fnName.replace(/^(bound )+/, "");
  if (own && own !== "anonymous" && /^[\p{L}\p{N}_$]+$/u.test(own)) return own;
  const words = topic.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return words.length ? words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("") : "Func";
}

export function subscriberEndpoint(name: string, topic: string, type?: MessageType): Endpoint {
  const e: Endpoint = { name, metadata: { topic, subscriber: "true" } };
  const req = schemaOf(type);
  if (req) e.request = req;
  return e;
}
