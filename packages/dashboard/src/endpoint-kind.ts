// Which kind of stream an endpoint is, read from its registry metadata as the gateway's OpenAPI
// document reads it: go-micro writes `stream: "true"` only, our servers add `stream_kind`; a Go
// handler that takes the stream alone (`Method(ctx, stream)`) advertises context.Context as its
// request, which means the client streams too.
import type { Endpoint, Service, Value } from "@micro/core";

export type StreamKind = "server" | "client" | "bidi";

/** Node metadata key our servers add (core's marker): its absence means a go-micro service. */
const TS_MARKER = "micro-ts";

export function isGoService(s: Service): boolean {
  return !s.nodes.some((n) => n.metadata?.[TS_MARKER] !== undefined);
}

export function streamKind(e: Endpoint, go: boolean): StreamKind | undefined {
  const s = e.metadata?.stream;
  if (s === "server" || s === "client" || s === "bidi") return s;
  const kind = e.metadata?.stream_kind;
  if (s === "true" && (kind === "server" || kind === "client" || kind === "bidi")) return kind;
  if (s !== "true") return undefined;
  if (go && isContext(e.request)) return "bidi";
  return "server";
}

/** go-micro's extractor saw a context.Context or a stream handle where a message would be. */
export function isContext(v: Value | undefined): boolean {
  return !!v && v.type === "Context" && !v.values?.length;
}

export function isStreamHandle(v: Value | undefined): boolean {
  return !!v && !v.values?.length && /Stream$/.test(v.type);
}
