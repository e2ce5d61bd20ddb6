// Per service: the handler interface the server implementation is checked against, a register
// function that tells the server which methods stream, their message types and registry schemas,
// and a typed client.

import { schemaOf } from "./emit-schema.js";
import { goCamelCase } from "./go-names.js";
import type { MessageModel, MethodModel, ServiceModel } from "./model.js";
import type { TypeNames } from "./ts-types.js";

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * The handler method for an rpc: the Go method name protoc-gen-micro generates, first letter
 * lowered; the server capitalizes it back, so it serves the endpoint a Go server would.
 */
export const methodName = (m: MethodModel) => lowerFirst(goCamelCase(m.name));

/** `Service.Method` as a Go server built from the same .proto routes it. */
export const endpointName = (s: ServiceModel, m: MethodModel) =>
  `${goCamelCase(s.name)}.${goCamelCase(m.name)}`;

/** The TypeScript names of a service's declarations. */
export const serviceName = (s: ServiceModel) => goCamelCase(s.name);

export interface ServiceContext {
  byName: Map<string, MessageModel>;
  names: TypeNames;
  /** Full names of the messages that have an entry in `messageTypes`. */
  typed: Set<string>;
  /** The service name clients call unless told otherwise. */
  defaultName: string;
}

function handlerMethod(m: MethodModel, names: TypeNames): string {
  const req = names.ts(m.requestType);
  const rsp = names.ts(m.responseType);
  const name = methodName(m);
  if (m.requestStream)
    return `  ${name}(ctx: micro.Context, requests: AsyncIterable<${req}>): AsyncIterable<${rsp}>;`;
  if (m.responseStream) return `  ${name}(ctx: micro.Context, request: ${req}): AsyncIterable<${rsp}>;`;
  return `  ${name}(ctx: micro.Context, request: ${req}): Promise<${rsp}> | ${rsp};`;
}

/** `requestType: messageTypes.X, responseType: ...` for the types that have one. */
function typeOptions(m: MethodModel, c: ServiceContext): string[] {
  const parts: string[] = [];
  if (c.typed.has(m.requestType)) parts.push(`requestType: messageTypes.${c.names.ts(m.requestType)}`);
  if (c.typed.has(m.responseType)) parts.push(`responseType: messageTypes.${c.names.ts(m.responseType)}`);
  return parts;
}

function clientMethod(s: ServiceModel, m: MethodModel, c: ServiceContext): string {
  const req = c.names.ts(m.requestType);
  const rsp = c.names.ts(m.responseType);
  const endpoint = JSON.stringify(endpointName(s, m));
  const name = methodName(m);
  const types = typeOptions(m, c);
  const options = types.length ? `{ ${types.join(", ")}, ...options }` : "options";
  if (m.requestStream) {
    return [
      `  /** ${m.responseStream ? "Bidirectional" : "Client"} stream: send requests, read responses. */`,
      `  ${name}(options?: micro.CallOptions): micro.ClientStream<${req}, ${rsp}> {`,
      `    return this.client.stream<${rsp}, ${req}>(this.service, ${endpoint}, undefined, ${options});`,
      "  }",
    ].join("\n");
  }
  if (m.responseStream) {
    return [
      "  /** Server stream: iterate the responses (`for await`). */",
      `  ${name}(request: ${req}, options?: micro.CallOptions): micro.ClientStream<${req}, ${rsp}> {`,
      `    return this.client.stream<${rsp}, ${req}>(this.service, ${endpoint}, request, ${options});`,
      "  }",
    ].join("\n");
  }
  return [
    `  ${name}(request: ${req}, options?: micro.CallOptions): Promise<${rsp}> {`,
    `    return this.client.call<${rsp}, ${req}>(this.service, ${endpoint}, request, ${options});`,
    "  }",
  ].join("\n");
}

function endpointOptions(m: MethodModel, c: ServiceContext): string {
  const parts = [
    ...typeOptions(m, c),
    `request: ${JSON.stringify(schemaOf(m.requestType, c.byName, c.names))}`,
    `response: ${JSON.stringify(schemaOf(m.responseType, c.byName, c.names))}`,
  ];
  // go-micro has no client-only streams on the wire: every request-streaming method is bidi.
  if (m.requestStream) parts.push(`stream: "bidi"`);
  else if (m.responseStream) parts.push(`stream: "server"`);
  return `  ${methodName(m)}: {\n    ${parts.join(",\n    ")},\n  },`;
}

export function emitService(s: ServiceModel, c: ServiceContext): string {
  const name = serviceName(s);
  return [
    `/** What an implementation of ${name} provides; methods are the .proto's, first letter lowered. */`,
    `export interface ${name}Handler {`,
    ...s.methods.map((m) => handlerMethod(m, c.names)),
    "}",
    "",
    `/** Endpoint options of ${name}: streaming kinds, message types and the registry schemas go-micro advertises. */`,
    `export const ${name}Endpoints: Record<keyof ${name}Handler, micro.EndpointOptions> = {`,
    ...s.methods.map((m) => endpointOptions(m, c)),
    "};",
    "",
    `/** Serves \`impl\` as the ${name} handler (endpoints ${name}.<Method>) on a service or server. */`,
    `export function register${name}Handler<T extends { handle(name: string, impl: object, options?: micro.HandlerOptions): unknown }>(`,
    "  server: T,",
    `  impl: ${name}Handler,`,
    '  options: Omit<micro.HandlerOptions, "endpoints"> = {},',
    "): T {",
    `  server.handle(${JSON.stringify(name)}, impl, { ...options, endpoints: ${name}Endpoints });`,
    "  return server;",
    "}",
    "",
    `/** Calls a ${name} service, by default the one named ${JSON.stringify(c.defaultName)}. */`,
    `export class ${name}Client {`,
    "  constructor(",
    "    readonly client: micro.Client,",
    `    readonly service: string = ${JSON.stringify(c.defaultName)},`,
    "  ) {}",
    "",
    s.methods.map((m) => clientMethod(s, m, c)).join("\n\n"),
    "}",
  ].join("\n");
}
