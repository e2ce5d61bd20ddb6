// The new project's own test: it starts the service in-process on the memory registry and broker
// and calls it through the generated client, as another service would.
import type { ScaffoldNames } from "./names.js";

const webTests = `
  it("serves the web page and calls the service from it", async () => {
    const web = createWeb(caller.client).listen(0, "127.0.0.1");
    await once(web, "listening");
    try {
      const base = \`http://127.0.0.1:\${(web.address() as AddressInfo).port}\`;
      expect(await (await fetch(base)).text()).toContain("<form");
      const ok = await fetch(\`\${base}/api/call\`, { method: "POST", body: JSON.stringify({ name: "Web" }) });
      expect(await ok.json()).toEqual({ msg: "Hello Web" });
      const bad = await fetch(\`\${base}/api/call\`, { method: "POST", body: "{}" });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: 400, detail: "name is required" });
    } finally {
      web.close();
    }
  });
`;

const serviceTests = (n: ScaffoldNames) => `
  it("rejects a bad request with a go-micro error", async () => {
    const err = await client.call({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MicroError);
    expect((err as MicroError).code).toBe(400);
  });

  it("streams", async () => {
    const counts: number[] = [];
    for await (const m of client.stream({ count: 3 })) counts.push(m.count ?? 0);
    expect(counts).toEqual([0, 1, 2]);
  });

  it("answers over application/protobuf too", async () => {
    expect(await client.call({ name: "Proto" }, { contentType: "application/protobuf" })).toEqual({
      msg: "Hello Proto",
    });
  });

  it("receives what is published to its topic", async () => {
    await caller.client.publish(TOPIC, { say: "hi" }, { messageType: messageTypes.Message });
    await vi.waitFor(() => expect(received).toContainEqual({ say: "hi" }));
  });
${n.type === "web" ? webTests : ""}`;

export function testFile(n: ScaffoldNames): string {
  const web = n.type === "web";
  const imports = [
    ...(web ? ['import { once } from "node:events";', 'import type { AddressInfo } from "node:net";'] : []),
    'import { createService, MicroError, silentLogger } from "@micro/core";',
    `import { afterAll, beforeAll, describe, expect, it${n.type === "function" ? "" : ", vi"} } from "vitest";`,
    `import { ${n.pascal}Client${n.type === "function" ? "" : ", messageTypes"} } from "../src/gen/${n.alias}.micro.js";`,
    `import { build${n.pascal}, NAME } from "../src/service.js";`,
    ...(n.type === "function" ? [] : ['import { received, TOPIC } from "../src/subscriber.js";']),
    ...(web ? ['import { createWeb } from "../src/web.js";'] : []),
  ];
  return `// Starts the ${n.type} in-process on the memory registry and broker and calls it through the
// generated client, as another service would.
${imports.join("\n")}

const stack = { registry: "memory", broker: "memory", argv: [], env: {}, logger: silentLogger } as const;
const service = build${n.pascal}({ ...stack, address: "127.0.0.1:0", handleSignals: false });
const caller = createService({ name: "${n.alias}.test", ...stack, handleSignals: false });
const client = new ${n.pascal}Client(caller.client); // calls ${n.fqdn}

beforeAll(() => service.start());
afterAll(async () => {
  await caller.stop();
  await service.stop();
});

describe(NAME, () => {
  it("answers Call", async () => {
    expect(await client.call({ name: "John" })).toEqual({ msg: "Hello John" });
  });
${n.type === "function" ? "  // a function serves one request, then stops\n" : serviceTests(n)}});
`;
}
