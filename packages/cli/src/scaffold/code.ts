// The code files of a new project: handler, subscriber, main and its test.
import type { ScaffoldNames } from "./names.js";

const gen = (n: ScaffoldNames) => `./gen/${n.alias}.micro.js`;

export function handler(n: ScaffoldNames): string {
  return `// Implements the ${n.pascal} API from proto/${n.alias}.proto; tsc checks it against ${n.pascal}Handler.
import { type Context, MicroError } from "@micro/core";
import type { CallRequest, CallResponse, ${n.pascal}Handler, StreamRequest, StreamResponse } from "${gen(n)}";

export class ${n.pascal} implements ${n.pascal}Handler {
  async call(_ctx: Context, req: CallRequest): Promise<CallResponse> {
    if (!req.name) throw MicroError.badRequest("${n.fqdn}", "name is required");
    return { msg: \`Hello \${req.name}\` };
  }

  async *stream(ctx: Context, req: StreamRequest): AsyncIterable<StreamResponse> {
    for (let count = 0; count < (req.count ?? 0) && !ctx.signal.aborted; count++) yield { count };
  }
}
`;
}

export function subscriber(n: ScaffoldNames): string {
  return `// Handles messages published to "${n.fqdn}" (go-micro's convention: the service's own name).
import type { Context } from "@micro/core";
import type { Message } from "${gen(n)}";

export const TOPIC = "${n.fqdn}";

export async function onMessage(ctx: Context, message: Message): Promise<void> {
  console.log(\`received \${JSON.stringify(message)} on \${ctx.metadata.get("Micro-Topic")}\`);
}
`;
}

export function service(n: ScaffoldNames): string {
  const create = n.type === "function" ? "createFunction" : "createService";
  return `// Builds the ${n.fqdn} ${n.type}; main.ts runs it, the test starts it in-process.
import "@micro/defaults";
import { ${create}, type ServiceOptions } from "@micro/core";
import { register${n.pascal}Handler } from "${gen(n)}";
import { ${n.pascal} } from "./handler.js";
import { onMessage, TOPIC } from "./subscriber.js";

export const NAME = "${n.fqdn}";

export function build${n.pascal}(options: Partial<ServiceOptions> = {}) {
  const service = ${create}({ name: NAME, version: "latest", ...options });
  register${n.pascal}Handler(service, new ${n.pascal}());
  service.subscribe(TOPIC, onMessage);
  return service;
}
`;
}

export function main(n: ScaffoldNames): string {
  const what =
    n.type === "function" ? "serves one request, then deregisters and exits" : "runs until SIGINT/SIGTERM";
  return `// Entry point: go-micro's flags and MICRO_* env vars pick the plugins; ${what}.
import { build${n.pascal} } from "./service.js";

await build${n.pascal}().run();
`;
}

export function test(n: ScaffoldNames): string {
  return `// Starts the ${n.type} in-process on the memory registry and broker and calls it through the
// generated client, as another service would.
import { createService, MicroError, silentLogger } from "@micro/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ${n.pascal}Client } from "../src/gen/${n.alias}.micro.js";
import { build${n.pascal}, NAME } from "../src/service.js";

const stack = { registry: "memory", broker: "memory", argv: [], env: {}, logger: silentLogger } as const;
const service = build${n.pascal}({ ...stack, address: "127.0.0.1:0", handleSignals: false });
const caller = createService({ name: "${n.alias}.test", ...stack, handleSignals: false });
const client = new ${n.pascal}Client(caller.client, NAME);

beforeAll(() => service.start());
afterAll(async () => {
  await caller.stop();
  await service.stop();
});

describe(NAME, () => {
  it("answers Call", async () => {
    expect(await client.call({ name: "John" })).toEqual({ msg: "Hello John" });
  });

${
  n.type === "function"
    ? "" // a function serves one request and stops
    : `  it("rejects a bad request with a go-micro error", async () => {
    const err = await client.call({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MicroError);
    expect((err as MicroError).code).toBe(400);
  });

  it("streams", async () => {
    const counts: number[] = [];
    for await (const m of client.stream({ count: 3 })) counts.push(m.count ?? 0);
    expect(counts).toEqual([0, 1, 2]);
  });
`
}});
`;
}
