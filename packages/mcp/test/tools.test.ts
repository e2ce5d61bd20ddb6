// Registry records → tools, without a network: go-micro extractor shapes (nested structs, slices,
// maps, streams), naming, filters, version merging, lenient output schemas, exact integers, paging.
import type { Endpoint, Service } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { compileFilters, type FilterSubject } from "../src/filters.js";
import { parseJson } from "../src/json.js";
import { assignNames, hashedName, TOOL_NAME } from "../src/names.js";
import { replyResult } from "../src/results.js";
import { createMcpServer } from "../src/server.js";
import { buildTools, type ToolEntry } from "../src/tools.js";
import { goService } from "./support/go-records.js";
import { startShop } from "./support/shop.js";

const tools = (...services: Service[]) => {
  const byName = new Map<string, Service[]>();
  for (const s of services) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  return buildTools(byName);
};
const tool = (list: ToolEntry[], name: string) => list.find((t) => t.tool.name === name)!;

describe("go-micro services (the extractor's shapes)", () => {
  const { tools: list, skipped } = tools(goService("greeter"));

  it("one tool per endpoint; a stream registered as Method(ctx, stream) is one of unknown kind", () => {
    expect(list.map((t) => t.tool.name)).toEqual([
      "greeter.Greeter.Bidi",
      "greeter.Greeter.Hello",
      "greeter.Greeter.Locate",
      "greeter.Greeter.ServerStream",
    ]);
    expect(skipped).toEqual([]);
    // protoc-gen-micro registers server streams that way too: the request is context.Context, so
    // the tool sends its arguments as the one message and closes its side
    const bidi = tool(list, "greeter.Greeter.Bidi");
    expect(bidi.stream).toBe("unknown");
    expect(bidi.tool.inputSchema).toEqual({
      type: "object",
      description: "The stream's one message: go-micro does not advertise its type.",
    });
    expect(bidi.tool._meta?.["micro/stream"]).toBe("unknown");
    expect(tool(list, "greeter.Greeter.ServerStream").stream).toBe("server");
  });

  it("streams that say they are bidi or client streams are no tools", () => {
    const declared = goService("chat", [
      { name: "Chat.Talk", request: { name: "Msg", type: "Msg" }, metadata: { stream: "bidi" } },
      { name: "Chat.Up", metadata: { stream: "true", stream_kind: "client" } },
    ]);
    const r = tools(declared);
    expect(r.tools).toEqual([]);
    expect(r.skipped.map((x) => x.endpoint)).toEqual(["Chat.Talk", "Chat.Up"]);
  });

  it("nested structs, slices of structs and a struct cut off at depth 2 become one self-contained schema", () => {
    const input = tool(list, "greeter.Greeter.Hello").tool.inputSchema as Record<string, any>;
    expect(input.type).toBe("object");
    expect(input.title).toBe("Request");
    expect(input.properties.id).toEqual({ type: "integer", format: "int64" });
    expect(input.properties.address).toEqual({ $ref: "#/$defs/Address" });
    // `[]Item` carries no fields; the Item described elsewhere in the service fills them in
    expect(input.properties.items).toEqual({ type: "array", items: { $ref: "#/$defs/Item" } });
    expect(input.properties.ptr).toEqual({ $ref: "#/$defs/Item" });
    expect(input.properties.tags).toEqual({ type: "array", items: { type: "string" } });
    expect(input.properties.blob).toEqual({ type: "string", contentEncoding: "base64" });
    expect(input.properties.when).toEqual({ type: "string", format: "date-time" });
    // a map or interface is `""` to go-micro: any value
    expect(Object.keys(input.properties.labels)).toEqual(["description"]);
    expect(input.$defs).toEqual({
      Address: {
        title: "Address",
        type: "object",
        properties: {
          street: { type: "string" },
          zip: { type: "integer", format: "int32" },
          // met at depth 2 without fields: Locate's request describes Geo
          geo: { $ref: "#/$defs/Geo" },
        },
      },
      Geo: {
        title: "Geo",
        type: "object",
        properties: { lat: { type: "number", format: "double" }, deep: { $ref: "#/$defs/Deeper" } },
      },
      Deeper: { title: "Deeper", type: "object", properties: { X: { type: "string" } } },
      Item: {
        title: "Item",
        type: "object",
        properties: { sku: { type: "string" }, qty: { type: "integer", format: "int64", minimum: 0 } },
      },
    });
    // every $ref resolves inside the schema itself
    const refs = JSON.stringify(input).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const r of refs) expect(Object.keys(input.$defs)).toContain(r.slice('"$ref":"#/$defs/'.length, -1));
  });

  it("descriptions and examples from what go-micro writes (WithEndpointDocs / doc comments)", () => {
    const hello = tool(list, "greeter.Greeter.Hello").tool;
    expect(hello.description).toBe('Says hello.\n\nExample input: {"id": 1}');
    expect(hello.inputSchema.examples).toEqual([{ id: 1 }]);
    // without docs, go-micro's own wording; scopes from WithEndpointScopes
    const locate = tool(list, "greeter.Greeter.Locate");
    expect(locate.tool.description).toBe(
      "Call Greeter.Locate on greeter service\n\nRequires the scope geo:read.",
    );
    expect(locate.scopes).toEqual(["geo:read"]);
    expect(locate.tool._meta).toEqual({
      "micro/service": "greeter",
      "micro/endpoint": "Greeter.Locate",
      "micro/scopes": ["geo:read"],
    });
  });

  it("output schemas admit Go's nulls and protojson's int64 strings", () => {
    const out = tool(list, "greeter.Greeter.Hello").tool.outputSchema as Record<string, any>;
    expect(out.properties.items).toEqual({
      type: ["array", "null"],
      items: { anyOf: [{ $ref: "#/$defs/Item" }, { type: "null" }] },
    });
    expect(out.$defs.Item.properties.qty).toEqual({
      type: ["integer", "string"],
      format: "int64",
      minimum: 0,
    });
    const locate = tool(list, "greeter.Greeter.Locate").tool.outputSchema as Record<string, any>;
    expect(locate.properties.geo).toEqual({ anyOf: [{ $ref: "#/$defs/Geo" }, { type: "null" }] });
  });

  it("a Go server stream collects its messages (go-micro advertises no message type for them)", () => {
    const s = tool(list, "greeter.Greeter.ServerStream");
    expect(s.stream).toBe("server");
    expect(s.tool.outputSchema).toMatchObject({
      type: "object",
      properties: { messages: { type: "array", items: {} } },
      required: ["messages"],
    });
    expect((s.tool.inputSchema as Record<string, any>).properties.address).toEqual({
      $ref: "#/$defs/Address",
    });
  });

  it("another service never renames this one's $defs", () => {
    const other = goService("inventory", [
      {
        name: "Inventory.Check",
        request: { name: "Item", type: "Item", values: [{ name: "price", type: "float64" }] },
        metadata: {},
      },
    ]);
    const both = tools(goService("greeter"), other).tools;
    expect(tool(both, "greeter.Greeter.Hello").tool).toEqual(tool(list, "greeter.Greeter.Hello").tool);
  });
});

describe("versions, nodes and subscribers", () => {
  const ep = (name: string, metadata: Record<string, string> = {}): Endpoint => ({ name, metadata });
  it("the newest version's endpoint wins; records without nodes and subscribers are no tools", () => {
    const v1 = goService(
      "svc",
      [ep("A.Old", { description: "v1" }), ep("A.Both", { description: "v1" })],
      "1.9.0",
    );
    const v2 = goService(
      "svc",
      [ep("A.Both", { description: "v2" }), ep("A.Sub", { subscriber: "true" })],
      "1.10.0",
    );
    const gone = { ...goService("svc", [ep("A.Gone")], "2.0.0"), nodes: [] };
    const { tools: list, skipped } = tools(v1, v2, gone);
    expect(list.map((t) => t.tool.name)).toEqual(["svc.A.Both", "svc.A.Old"]);
    expect(tool(list, "svc.A.Both").tool.description).toBe("v2");
    expect(skipped.map((s) => s.endpoint)).toEqual(["A.Sub"]);
  });
});

describe("tool names", () => {
  it("go-micro's service.Endpoint when valid; else sanitized with a stable hash", () => {
    const names = assignNames([
      { service: "greeter", endpoint: "Greeter.Hello" },
      { service: "go.micro.api.greeter", endpoint: "Say.Hello" },
      { service: "my svc/v2", endpoint: "Greeter.Hello" },
      { service: "x".repeat(130), endpoint: "A.B" },
    ]);
    const all = [...names.values()];
    expect(all.slice(0, 2)).toEqual(["greeter.Greeter.Hello", "go.micro.api.greeter.Say.Hello"]);
    expect(all[2]).toMatch(/^my_svc_v2\.Greeter\.Hello-[0-9a-f]{8}$/);
    expect(all[3]).toHaveLength(128);
    for (const n of all) expect(n).toMatch(TOOL_NAME);
    // the same endpoint, the same name, whatever else is listed
    expect(hashedName("my svc/v2", "Greeter.Hello")).toBe(all[2]);
  });

  it("two endpoints spelling one name both get distinct hashed names", () => {
    const names = assignNames([
      { service: "a.b", endpoint: "C.D" },
      { service: "a", endpoint: "b.C.D" },
      { service: "z", endpoint: "Y.X" },
    ]);
    const [x, y, z] = [...names.values()];
    expect(x).not.toBe(y);
    expect(x).toMatch(/^a\.b\.C\.D-[0-9a-f]{8}$/);
    expect(y).toMatch(/^a\.b\.C\.D-[0-9a-f]{8}$/);
    expect(z).toBe("z.Y.X");
  });
});

describe("filters", () => {
  const subject = (service: string, endpoint: string, md: Record<string, string> = {}): FilterSubject => ({
    service,
    endpoint,
    tool: `${service}.${endpoint}`,
    endpointMetadata: md,
    serviceMetadata: { team: "core" },
  });
  it("service, service.Endpoint, key=value and globs; exclude wins", () => {
    const keep = compileFilters({
      include: ["billing", "greeter.Greeter.*", "visibility=public", "team=co*"],
      exclude: ["*.Admin.*"],
    });
    expect(keep(subject("billing", "Invoice.Get"))).toBe(true);
    expect(keep(subject("greeter", "Greeter.Hello"))).toBe(true);
    expect(keep(subject("other", "X.Y", { visibility: "public" }))).toBe(true);
    expect(keep(subject("other", "X.Y"))).toBe(true); // service metadata team=core
    expect(keep(subject("billing", "Admin.Wipe"))).toBe(false);
    const narrow = compileFilters({ include: ["greeter"] });
    expect(narrow(subject("greeter", "A.B"))).toBe(true);
    expect(narrow(subject("greeter2", "A.B"))).toBe(false);
    expect(compileFilters({})(subject("any", "A.B"))).toBe(true);
    expect(() => compileFilters({ include: [" "] })).toThrow(/empty filter/);
  });
});

describe("replies", () => {
  it("64-bit integers beyond 2^53 keep every digit in structuredContent as serialised", () => {
    const entry = tools(goService("n", [{ name: "N.Echo", metadata: {} }])).tools[0]!;
    const r = replyResult(entry, Buffer.from('{"ints":[9007199254740993],"u":18446744073709551615}\n'));
    expect(JSON.stringify(r.structuredContent)).toBe('{"ints":[9007199254740993],"u":18446744073709551615}');
    expect(r.content).toEqual([
      { type: "text", text: '{"ints":[9007199254740993],"u":18446744073709551615}' },
    ]);
    expect(parseJson("[1.5,2]")).toEqual([1.5, 2]);
  });
});

describe("tools/list paging (SDK client over an in-memory transport)", () => {
  it("pages by name, so a page boundary survives a list that changes in between", async () => {
    const registry = new MemoryRegistry();
    const eps = ["A.One", "A.Two", "A.Three", "A.Four", "A.Five"].map((name) => ({ name, metadata: {} }));
    await registry.register(goService("paged", eps));
    const server = createMcpServer({ registry, client: {} as never, pageSize: 2 });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    const client = new Client({ name: "t", version: "1" });
    await client.connect(b);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      expect(page.tools.length).toBeLessThanOrEqual(2);
      seen.push(...page.tools.map((t) => t.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["paged.A.Five", "paged.A.Four", "paged.A.One", "paged.A.Three", "paged.A.Two"]);
    await client.close();
    await server.close();
  });
});

describe("stream limits (a real TS service, the SDK client in memory)", () => {
  it("a stream longer than maxStreamMessages, or running past streamTimeout, is closed and truncated", async () => {
    const registry = new MemoryRegistry();
    const shop = await startShop("limits", { registry });
    const server = createMcpServer({
      registry,
      client: shop.client,
      maxStreamMessages: 3,
      streamTimeout: 300,
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    const client = new Client({ name: "t", version: "1" });
    await client.connect(b);
    const many = await client.callTool({ name: "limits.Shop.Watch", arguments: { to: 10 } });
    expect(many.structuredContent).toEqual({ messages: [{ n: 0 }, { n: 1 }, { n: 2 }], truncated: true });
    const endless = await client.callTool({ name: "limits.Shop.Ticks", arguments: {} });
    expect(endless.isError).toBeFalsy();
    const got = endless.structuredContent as { messages: { n: number }[]; truncated: boolean };
    expect(got.truncated).toBe(true);
    expect(got.messages.length).toBeGreaterThan(0);
    expect(got.messages.length).toBeLessThanOrEqual(3);
    // a stream that fails part way: an error result, with what came before it
    const wide = createMcpServer({ registry, client: shop.client });
    const [c, d] = InMemoryTransport.createLinkedPair();
    await wide.connect(c);
    const other = new Client({ name: "t2", version: "1" });
    await other.connect(d);
    const far = (await other.callTool({
      name: "limits.Shop.Watch",
      arguments: { to: 101 },
    })) as CallToolResult;
    expect(far.isError).toBe(true);
    expect(JSON.parse((far.content[0] as { text: string }).text)).toMatchObject({
      code: 400,
      detail: "too far",
    });
    expect(JSON.parse((far.content[1] as { text: string }).text).messages).toHaveLength(101);
    await other.close();
    await wide.close();
    await client.close();
    await server.close();
    await shop.stop();
  });
});
