// The code files of a new project: handler, subscriber, the service and its entry point.
import type { ScaffoldNames } from "./names.js";

export const genModule = (n: ScaffoldNames) => `./gen/${n.alias}.micro.js`;

export function handler(n: ScaffoldNames): string {
  return `// Implements the ${n.pascal} API from proto/${n.alias}.proto; tsc checks it against ${n.pascal}Handler.
import { type Context, MicroError } from "@micro/core";
import type { CallRequest, CallResponse, ${n.pascal}Handler, StreamRequest, StreamResponse } from "${genModule(n)}";

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
import type { Message } from "${genModule(n)}";

export const TOPIC = "${n.fqdn}";

/** The messages received so far (the test reads them); a real subscriber would act on them. */
export const received: Message[] = [];

export async function onMessage(ctx: Context, message: Message): Promise<void> {
  received.push(message);
  console.log(\`received \${JSON.stringify(message)} on \${ctx.metadata.get("Micro-Topic")}\`);
}
`;
}

export function service(n: ScaffoldNames): string {
  const create = n.type === "function" ? "createFunction" : "createService";
  return `// Builds the ${n.fqdn} ${n.type}; main.ts runs it, the test starts it in-process.
import "@micro/defaults";
import { ${create}, type ServiceOptions } from "@micro/core";
import { messageTypes, register${n.pascal}Handler } from "${genModule(n)}";
import { ${n.pascal} } from "./handler.js";
import { onMessage, TOPIC } from "./subscriber.js";

export const NAME = "${n.fqdn}";

export function build${n.pascal}(options: Partial<ServiceOptions> = {}) {
  const service = ${create}({ name: NAME, version: "latest", ...options });
  register${n.pascal}Handler(service, new ${n.pascal}());
  // the message type decodes JSON and protobuf events alike and advertises the schema
  service.subscribe(TOPIC, onMessage, { messageType: messageTypes.Message });
  return service;
}
`;
}

export function main(n: ScaffoldNames): string {
  if (n.type === "web") {
    return `// Entry point: the service (go-micro's flags and MICRO_* env vars pick the plugins) and its web
// front on $PORT (default 8080); runs until SIGINT/SIGTERM.
import { build${n.pascal} } from "./service.js";
import { createWeb } from "./web.js";

const service = build${n.pascal}();
const port = Number(process.env.PORT ?? 8080);
const web = createWeb(service.client).listen(port, () => console.log(\`web on http://localhost:\${port}\`));
try {
  await service.run();
} finally {
  web.close();
}
`;
  }
  const what =
    n.type === "function" ? "serves one request, then deregisters and exits" : "runs until SIGINT/SIGTERM";
  return `// Entry point: go-micro's flags and MICRO_* env vars pick the plugins; ${what}.
import { build${n.pascal} } from "./service.js";

await build${n.pascal}().run();
`;
}
