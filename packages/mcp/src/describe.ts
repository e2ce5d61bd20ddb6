// What an agent reads about a tool: the description and example go-micro services write into
// endpoint metadata (`description` and `example`, from `server.WithEndpointDocs`, the
// `WithEndpointDescription`/`WithEndpointExample` options or the handler's doc comment with its
// `@example` line), which TS services may set the same way (`metadata` in the endpoint options).
// Without one, go-micro's own wording: "Call Greeter.Hello on greeter service".

export interface Description {
  description: string;
  /** The example input, parsed, when it is JSON. */
  example?: unknown;
}

export function describeEndpoint(
  service: string,
  endpoint: string,
  metadata: Record<string, string>,
  extras: { stream: false | "server" | "unknown"; scopes: string[] },
): Description {
  const parts = [metadata.description?.trim() || `Call ${endpoint} on ${service} service`];
  if (extras.stream === "server") {
    parts.push(
      "Streams its reply: each message is reported as a progress notification, and the result collects them in `messages`.",
    );
  } else if (extras.stream === "unknown") {
    parts.push(
      "A stream: the arguments are sent as its one message and the sending side is then closed; each reply is reported as a progress notification, and the result collects them in `messages`.",
    );
  }
  const raw = metadata.example?.trim();
  let example: unknown;
  if (raw) {
    try {
      example = JSON.parse(raw);
    } catch {
      // not JSON: still worth showing to the agent, but not as a schema example
    }
    parts.push(`Example input: ${raw}`);
  }
  if (extras.scopes.length) parts.push(`Requires the scope ${extras.scopes.join(" or ")}.`);
  return { description: parts.join("\n\n"), ...(example !== undefined ? { example } : {}) };
}
