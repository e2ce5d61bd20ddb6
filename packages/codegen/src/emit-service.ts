// Per service: the handler interface the server implementation is checked against, a register
// function that tells the server which methods stream, and a typed client.

import { schemaOf } from "./emit-schema.js";
import type { MessageModel, MethodModel, ServiceModel } from "./model.js";
import type { TypeNames } from "./ts-types.js";

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function handlerMethod(m: MethodModel, names: TypeNames): string {
  const req = names.ts(m.requestType);
  const rsp = names.ts(m.responseType);
  const name = lowerFirst(m.name);
  if (m.requestStream)
    return `  ${name}(ctx: Context, requests: AsyncIterable<${req}>): AsyncIterable<${rsp}>;`;
  if (m.responseStream) return `  ${name}(ctx: Context, request: ${req}): AsyncIterable<${rsp}>;`;
  return `  ${name}(ctx: Context, request: ${req}): Promise<${rsp}> | ${rsp};`;
}

function clientMethod(s: ServiceModel, m: MethodModel, names: TypeNames): string {
  const req = names.ts(m.requestType);
  const rsp = names.ts(m.responseType);
  const endpoint = JSON.stringify(`${s.name}.${m.name}`);
  const name = lowerFirst(m.name);
  if (m.requestStream) {
    return [
      `  /** ${m.responseStream ? "Bidirectional" : "Client"} stream: send requests, read responses. */`,
      `  ${name}(options?: CallOptions): ClientStream<${req}, ${rsp}> {`,
      `    return this.client.stream<${req}, ${rsp}>(this.service, ${endpoint}, undefined, options);`,
      "  }",
    ].join("\n");
  }
  if (m.responseStream) {
    return [
      "  /** Server stream: iterate the responses (`for await`). */",
      `  ${name}(request: ${req}, options?: CallOptions): ClientStream<${req}, ${rsp}> {`,
      `    return this.client.stream<${req}, ${rsp}>(this.service, ${endpoint}, request, options);`,
      "  }",
    ].join("\n");
  }
  return [
    `  ${name}(request: ${req}, options?: CallOptions): Promise<${rsp}> {`,
    `    return this.client.call<${req}, ${rsp}>(this.service, ${endpoint}, request, options);`,
    "  }",
  ].join("\n");
}

function endpointOptions(m: MethodModel, byName: Map<string, MessageModel>, names: TypeNames): string {
  const parts = [
    `request: ${JSON.stringify(schemaOf(m.requestType, byName, names))}`,
    `response: ${JSON.stringify(schemaOf(m.responseType, byName, names))}`,
  ];
  // go-micro has no client-only streams on the wire: every request-streaming method is bidi.
  if (m.requestStream) parts.push(`stream: "bidi"`);
  else if (m.responseStream) parts.push(`stream: "server"`);
  return `  ${lowerFirst(m.name)}: { ${parts.join(", ")} },`;
}

export function emitService(s: ServiceModel, byName: Map<string, MessageModel>, names: TypeNames): string {
  const defaultName = s.packageName
    ? s.packageName.slice(s.packageName.lastIndexOf(".") + 1)
    : lowerFirst(s.name);
  return [
    `/** What an implementation of ${s.name} provides; methods are the .proto's, first letter lowered. */`,
    `export interface ${s.name}Handler {`,
    ...s.methods.map((m) => handlerMethod(m, names)),
    "}",
    "",
    `/** Endpoint options of ${s.name}: streaming kinds and the registry schemas go-micro advertises. */`,
    `export const ${s.name}Endpoints: Record<keyof ${s.name}Handler, EndpointOptions> = {`,
    ...s.methods.map((m) => endpointOptions(m, byName, names)),
    "};",
    "",
    `/** Serves \`impl\` as the ${s.name} handler (endpoints ${s.name}.<Method>). */`,
    `export function register${s.name}Handler<T extends { handle(name: string, impl: object, options?: HandlerOptions): unknown }>(`,
    "  server: T,",
    `  impl: ${s.name}Handler,`,
    '  options: Omit<HandlerOptions, "endpoints"> = {},',
    "): T {",
    `  server.handle(${JSON.stringify(s.name)}, impl, { ...options, endpoints: ${s.name}Endpoints });`,
    "  return server;",
    "}",
    "",
    `/** Calls a ${s.name} service (default name ${JSON.stringify(defaultName)}, the proto package). */`,
    `export class ${s.name}Client {`,
    `  constructor(`,
    "    readonly client: Client,",
    `    readonly service: string = ${JSON.stringify(defaultName)},`,
    "  ) {}",
    "",
    s.methods.map((m) => clientMethod(s, m, names)).join("\n\n"),
    "}",
  ].join("\n");
}
