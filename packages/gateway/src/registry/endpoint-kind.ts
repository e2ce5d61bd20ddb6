// Which kind of stream an endpoint is, from its registry record. go-micro writes `stream: "true"`
// for every stream; our servers add `stream_kind`. A Go handler that takes the stream alone
// (`Method(ctx, stream)`) makes go-micro's extractor advertise context.Context as its request and
// the stream's interface as its response: no message schema is there.
import type { Endpoint, Value } from "@micro/core";
import type { Dialect } from "../openapi/schema.js";

export type StreamKind = "server" | "client" | "bidi";

export function streamKind(e: Endpoint, dialect: Dialect): StreamKind | undefined {
  const s = e.metadata?.stream;
  if (s === "server" || s === "client" || s === "bidi") return s;
  const kind = e.metadata?.stream_kind;
  if (s === "true" && (kind === "server" || kind === "client" || kind === "bidi")) return kind;
  if (s !== "true") return undefined;
  // the client streams too (client or bidi streams are one shape to the extractor)
  if (dialect === "go" && isGoContext(e.request)) return "bidi";
  return "server";
}

/** go-micro's extractor saw a context.Context where the request message would be. */
export function isGoContext(v: Value | undefined): boolean {
  return !!v && v.type === "Context" && !v.values?.length;
}

/** The stream's own interface type (server.Stream, Greeter_ChatStream) where a message would be. */
export function isGoStreamHandle(v: Value | undefined): boolean {
  return !!v && !v.values?.length && /Stream$/.test(v.type);
}
