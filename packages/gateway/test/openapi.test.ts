// The OpenAPI document: Go extractor shapes (captured from go-micro v5.30.0), TypeScript shapes,
// merging, naming, streams, determinism, and the live document following a memory registry.
import "@micro/defaults";
import {
  createService,
  type Endpoint,
  type MessageType,
  type Registry,
  type RegistryEvent,
  type Service,
  silentLogger,
  type Value,
} from "@micro/core";
import { parseEndpoint } from "@micro/core/plugin-kit";
import { MemoryRegistry } from "@micro/registry-memory";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument, type OpenApiDocument, type OperationObject } from "../src/openapi/document.js";
import { LiveOpenApi } from "../src/openapi/live.js";
import { buildSchemaSet, type JsonSchema, scalarSchema } from "../src/openapi/schema.js";

/*
 * GO_GREETER and GO_INVENTORY are json.Marshal(server.NewHandler(h).Endpoints()) from go-micro
 * v5.30.0, verbatim, for these handlers (package main and package inv):
 *
 *   type Address struct { Street string `json:"street"`; Zip int32 `json:"zip,omitempty"`; Geo *Geo `json:"geo"` }
 *   type Geo struct { Lat float64 `json:"lat"`; Deep *Deeper `json:"deep"` }
 *   type Deeper struct{ X string }
 *   type Status int32
 *   type Item struct { SKU string `json:"sku"`; Qty uint64 `json:"qty"` }
 *   type Request struct {
 *     ID int64 `json:"id"`; Name string `json:"name,omitempty"`; Address Address `json:"address"`
 *     Items []*Item `json:"items"`; Tags []string `json:"tags"`; Labels map[string]string `json:"labels"`
 *     ByName map[string]*Item `json:"by_name"`; Blob []byte `json:"blob"`; When time.Time `json:"when"`
 *     Ptr *Item `json:"ptr"`; Status Status `json:"status"`; Any interface{} `json:"any"`; Ok bool
 *     Ratio float32 `json:",omitempty"`; Skip string `json:"-"`; Dur time.Duration `json:"dur"`
 *     Arr [4]byte `json:"arr"`; hidden string
 *   }
 *   type Response struct { Msg string `json:"msg"` }
 *   func (g *Greeter) Hello(ctx context.Context, req *Request, rsp *Response) error
 *   func (g *Greeter) ServerStream(ctx context.Context, req *Request, stream server.Stream) error
 *   func (g *Greeter) Bidi(ctx context.Context, stream server.Stream) error
 *   func (g *Greeter) Locate(ctx context.Context, req *Geo, rsp *Address) error
 *   // with server.WithEndpointDocs({"Greeter.Hello": {Description: "Says hello.", Example: `{"id": 1}`}})
 *
 *   package inv
 *   type Item struct { SKU string `json:"sku"`; Price float64 `json:"price"` }
 *   type StockRequest struct { Items []*Item `json:"items"`; One *Item `json:"one"` }
 *   type StockResponse struct { Count int `json:"count"` }
 *   func (i *Inventory) Check(ctx context.Context, req *StockRequest, rsp *StockResponse) error
 *
 * What they show: names are reflect's bare Name() (`Time`, `Duration`, `Context`, `Stream`); pointers
 * vanish; slices are `[]Elem` without values (`[]uint8` for []byte); maps, interfaces and arrays are
 * `""`; json tag names replace field names (`-` and unexported fields are left out); a struct met at
 * depth 2 (address.geo) has no values; streams say only `stream: "true"`, and a bidi handler's
 * request is context.Context.
 */

const GO_GREETER: unknown[] = [
  {
    request: { name: "Context", type: "Context", values: null },
    response: { name: "Stream", type: "Stream", values: null },
    metadata: { stream: "true" },
    name: "Greeter.Bidi",
  },
  {
    request: {
      name: "Request",
      type: "Request",
      values: [
        { name: "id", type: "int64", values: null },
        { name: "name", type: "string", values: null },
        {
          name: "address",
          type: "Address",
          values: [
            { name: "street", type: "string", values: null },
            { name: "zip", type: "int32", values: null },
            { name: "geo", type: "Geo", values: null },
          ],
        },
        { name: "items", type: "[]Item", values: null },
        { name: "tags", type: "[]string", values: null },
        { name: "labels", type: "", values: null },
        { name: "by_name", type: "", values: null },
        { name: "blob", type: "[]uint8", values: null },
        { name: "when", type: "Time", values: null },
        {
          name: "ptr",
          type: "Item",
          values: [
            { name: "sku", type: "string", values: null },
            { name: "qty", type: "uint64", values: null },
          ],
        },
        { name: "status", type: "Status", values: null },
        { name: "any", type: "", values: null },
        { name: "Ok", type: "bool", values: null },
        { name: "Ratio", type: "float32", values: null },
        { name: "dur", type: "Duration", values: null },
        { name: "arr", type: "", values: null },
      ],
    },
    response: { name: "Response", type: "Response", values: [{ name: "msg", type: "string", values: null }] },
    metadata: { description: "Says hello.", example: '{"id": 1}' },
    name: "Greeter.Hello",
  },
  {
    request: {
      name: "Geo",
      type: "Geo",
      values: [
        { name: "lat", type: "float64", values: null },
        { name: "deep", type: "Deeper", values: [{ name: "X", type: "string", values: null }] },
      ],
    },
    response: {
      name: "Address",
      type: "Address",
      values: [
        { name: "street", type: "string", values: null },
        { name: "zip", type: "int32", values: null },
        {
          name: "geo",
          type: "Geo",
          values: [
            { name: "lat", type: "float64", values: null },
            { name: "deep", type: "Deeper", values: null },
          ],
        },
      ],
    },
    metadata: {},
    name: "Greeter.Locate",
  },
  {
    request: {
      name: "Request",
      type: "Request",
      values: [
        { name: "id", type: "int64", values: null },
        { name: "name", type: "string", values: null },
        {
          name: "address",
          type: "Address",
          values: [
            { name: "street", type: "string", values: null },
            { name: "zip", type: "int32", values: null },
            { name: "geo", type: "Geo", values: null },
          ],
        },
        { name: "items", type: "[]Item", values: null },
        { name: "tags", type: "[]string", values: null },
        { name: "labels", type: "", values: null },
        { name: "by_name", type: "", values: null },
        { name: "blob", type: "[]uint8", values: null },
        { name: "when", type: "Time", values: null },
        {
          name: "ptr",
          type: "Item",
          values: [
            { name: "sku", type: "string", values: null },
            { name: "qty", type: "uint64", values: null },
          ],
        },
        { name: "status", type: "Status", values: null },
        { name: "any", type: "", values: null },
        { name: "Ok", type: "bool", values: null },
        { name: "Ratio", type: "float32", values: null },
        { name: "dur", type: "Duration", values: null },
        { name: "arr", type: "", values: null },
      ],
    },
    response: { name: "Stream", type: "Stream", values: null },
    metadata: { stream: "true" },
    name: "Greeter.ServerStream",
  },
];

const GO_INVENTORY: unknown[] = [
  {
    request: {
      name: "StockRequest",
      type: "StockRequest",
      values: [
        { name: "items", type: "[]Item", values: null },
        {
          name: "one",
          type: "Item",
          values: [
            { name: "sku", type: "string", values: null },
            { name: "price", type: "float64", values: null },
          ],
        },
      ],
    },
    response: {
      name: "StockResponse",
      type: "StockResponse",
      values: [{ name: "count", type: "int", values: null }],
    },
    metadata: {},
    name: "Inventory.Check",
  },
];

const GO_NODE = { server: "mucp", protocol: "mucp", registry: "mdns", transport: "http", broker: "http" };

function goService(name: string, endpoints: unknown[], version = "latest"): Service {
  return {
    name,
    version,
    metadata: {},
    endpoints: endpoints.map(parseEndpoint),
    nodes: [{ id: `${name}-${version}-1`, address: "10.0.0.1:8080", metadata: GO_NODE }],
  };
}

function tsService(name: string, endpoints: Endpoint[], version = "latest"): Service {
  return {
    name,
    version,
    endpoints,
    nodes: [{ id: `${name}-${version}-1`, address: "10.0.0.2:8080", metadata: { "micro-ts": "1" } }],
  };
}

/** A JSON pointer inside the document, or undefined. */
function resolve(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let at: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof at !== "object" || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function deref(doc: OpenApiDocument, s: JsonSchema | undefined): JsonSchema {
  expect(s).toBeDefined();
  if (!s?.$ref) return s!;
  const target = resolve(doc, s.$ref);
  expect(target, s.$ref).toBeDefined();
  return target as JsonSchema;
}

/** What an OpenAPI 3.1 consumer relies on: resolvable refs, well-formed paths, unique operations. */
function checkDocument(doc: OpenApiDocument): void {
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.info.title).toBeTruthy();
  expect(doc.info.version).toBeTruthy();
  expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  const refs: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === "object") {
      for (const [k, v] of Object.entries(x)) {
        if (k === "$ref") refs.push(v as string);
        else walk(v);
      }
    }
  };
  walk(doc);
  for (const r of refs) expect(resolve(doc, r), `unresolved ${r}`).toBeDefined();
  for (const name of Object.keys(doc.components.schemas)) expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    expect(path).toMatch(/^\/[^\s{}?#]*$/);
    const ops = Object.entries(item) as [string, OperationObject][];
    expect(ops.length).toBe(1);
    for (const [method, op] of ops) {
      expect(["get", "post"]).toContain(method);
      expect(ids.has(op.operationId), op.operationId).toBe(false);
      ids.add(op.operationId);
      expect(op.tags.length).toBe(1);
      expect(doc.tags.map((t) => t.name)).toContain(op.tags[0]);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      for (const [status, rsp] of Object.entries(op.responses)) {
        expect(status).toMatch(/^[1-5]\d\d$/);
        const r = "$ref" in rsp ? (resolve(doc, rsp.$ref) as { description: string }) : rsp;
        expect(r.description).toBeTruthy();
      }
      if (method === "post") expect(op.requestBody?.content["application/json"]?.schema).toBeDefined();
      else expect(op["x-micro-stream"]).toMatch(/^(server|client|bidi)$/);
    }
  }
}

function op(doc: OpenApiDocument, path: string) {
  const item = doc.paths[path];
  expect(item, path).toBeDefined();
  return (item!.post ?? item!.get)!;
}

function requestSchema(doc: OpenApiDocument, path: string): JsonSchema {
  return deref(doc, op(doc, path).requestBody!.content["application/json"]!.schema);
}

describe("Go extractor shapes", () => {
  const doc = buildOpenApiDocument([goService("greeter", GO_GREETER)]);

  it("is a well-formed document", () => {
    checkDocument(doc);
    expect(Object.keys(doc.paths)).toEqual([
      "/api/greeter/Greeter.Bidi",
      "/api/greeter/Greeter.Hello",
      "/api/greeter/Greeter.Locate",
      "/api/greeter/Greeter.ServerStream",
    ]);
  });

  it("maps each field of a struct to the JSON go-micro writes", () => {
    const hello = op(doc, "/api/greeter/Greeter.Hello");
    expect(hello.requestBody!.content["application/json"]!.schema).toEqual({
      $ref: "#/components/schemas/Request",
    });
    const p = requestSchema(doc, "/api/greeter/Greeter.Hello").properties!;
    expect(Object.keys(p)).toEqual([
      "id",
      "name",
      "address",
      "items",
      "tags",
      "labels",
      "by_name",
      "blob",
      "when",
      "ptr",
      "status",
      "any",
      "Ok",
      "Ratio",
      "dur",
      "arr",
    ]);
    expect(p.id).toEqual({ type: "integer", format: "int64" });
    expect(p.name).toEqual({ type: "string" });
    expect(p.address).toEqual({ $ref: "#/components/schemas/Address" });
    // a slice element has no values in Go's record; the service's Item seen through `ptr` fills it in
    expect(p.items).toEqual({ type: "array", items: { $ref: "#/components/schemas/Item" } });
    expect(p.tags).toEqual({ type: "array", items: { type: "string" } });
    expect(p.blob).toEqual({ type: "string", contentEncoding: "base64" });
    expect(p.when).toEqual({ type: "string", format: "date-time" });
    expect(p.ptr).toEqual({ $ref: "#/components/schemas/Item" });
    expect(p.Ok).toEqual({ type: "boolean" });
    expect(p.Ratio).toEqual({ type: "number", format: "float" });
    expect(p.dur).toMatchObject({ type: "integer", format: "int64" });
    // Go advertises maps, interfaces and arrays as "": any value, said so
    for (const k of ["labels", "by_name", "any", "arr"]) {
      expect(p[k]!.type).toBeUndefined();
      expect(p[k]!.$ref).toBeUndefined();
      expect(p[k]!.description).toMatch(/not advertised/);
    }
    // a named non-struct type (type Status int32) cannot be told from a struct cut off by depth
    expect(p.status).toMatchObject({ "x-micro-type": "Status" });
    expect(p.status!.description).toContain("Status");
  });

  it("makes components of named structs, filling depth cut-offs from other occurrences", () => {
    const s = doc.components.schemas;
    expect(Object.keys(s)).toEqual(["Address", "Deeper", "Geo", "Item", "MicroError", "Request", "Response"]);
    expect(s.Item!.properties).toEqual({
      sku: { type: "string" },
      qty: { type: "integer", format: "int64", minimum: 0 },
    });
    // address.geo comes without values (depth 2); Locate's request describes Geo
    expect(s.Address!.properties!.geo).toEqual({ $ref: "#/components/schemas/Geo" });
    expect(s.Address!.properties!.zip).toEqual({ type: "integer", format: "int32" });
    expect(s.Geo!.properties).toEqual({
      lat: { type: "number", format: "double" },
      deep: { $ref: "#/components/schemas/Deeper" },
    });
    expect(s.Deeper!.properties).toEqual({ X: { type: "string" } });
  });

  it("honours go-micro's description and example metadata", () => {
    const hello = op(doc, "/api/greeter/Greeter.Hello");
    expect(hello.summary).toBe("Says hello.");
    expect(hello.description).toBe("Says hello.");
    expect(hello.requestBody!.content["application/json"]!.example).toEqual({ id: 1 });
    expect(hello.operationId).toBe("greeter.Greeter.Hello");
    expect(hello.tags).toEqual(["greeter"]);
    expect(op(doc, "/api/greeter/Greeter.Locate").summary).toBe("Greeter.Locate");
  });

  it("answers with the reply schema and shared MicroError responses", () => {
    const hello = op(doc, "/api/greeter/Greeter.Hello");
    const ok = hello.responses["200"] as { content: Record<string, { schema: JsonSchema }> };
    expect(ok.content["application/json"]!.schema).toEqual({ $ref: "#/components/schemas/Response" });
    for (const status of ["400", "401", "403", "404", "408", "409", "413", "429", "500", "502", "503"]) {
      const r = hello.responses[status] as { $ref: string };
      const target = resolve(doc, r.$ref) as { content: Record<string, { schema: JsonSchema }> };
      expect(target.content["application/json"]!.schema).toEqual({ $ref: "#/components/schemas/MicroError" });
    }
    expect(doc.components.schemas.MicroError!.properties).toEqual({
      id: expect.objectContaining({ type: "string" }),
      code: { type: "integer", format: "int32" },
      detail: { type: "string" },
      status: expect.objectContaining({ type: "string" }),
    });
  });

  it("marks streams and describes their WebSocket route", () => {
    const server = op(doc, "/api/greeter/Greeter.ServerStream");
    expect(doc.paths["/api/greeter/Greeter.ServerStream"]!.post).toBeUndefined();
    expect(server["x-micro-stream"]).toBe("server");
    expect(server.description).toContain("ws(s)://{host}/api/greeter/Greeter.ServerStream");
    expect(server.responses["101"]).toBeDefined();
    expect(server.parameters).toEqual([expect.objectContaining({ name: "Upgrade", in: "header" })]);
    expect(server["x-micro-messages"]!.send).toEqual({ $ref: "#/components/schemas/Request" });
    // go-micro records the stream handle (server.Stream) where the reply type would be
    expect(server["x-micro-messages"]!.receive.$ref).toBeUndefined();

    // Bidi(ctx, stream): go-micro's extractor takes context.Context for the request
    const bidi = op(doc, "/api/greeter/Greeter.Bidi");
    expect(bidi["x-micro-stream"]).toBe("bidi");
    expect(bidi["x-micro-messages"]!.send.$ref).toBeUndefined();
    expect(doc.components.schemas.Context).toBeUndefined();
    expect(doc.components.schemas.Stream).toBeUndefined();
  });
});

describe("naming", () => {
  it("qualifies a type name with its service when two services disagree on its fields", () => {
    const doc = buildOpenApiDocument([
      goService("inventory", GO_INVENTORY),
      goService("greeter", GO_GREETER),
    ]);
    checkDocument(doc);
    const s = doc.components.schemas;
    expect(s.Item).toBeUndefined();
    expect(s["greeter.Item"]!.properties!.qty).toBeDefined();
    expect(s["inventory.Item"]!.properties!.price).toEqual({ type: "number", format: "double" });
    const stock = requestSchema(doc, "/api/inventory/Inventory.Check");
    expect(stock.properties!.items).toEqual({
      type: "array",
      items: { $ref: "#/components/schemas/inventory.Item" },
    });
    expect(stock.properties!.one).toEqual({ $ref: "#/components/schemas/inventory.Item" });
    expect(requestSchema(doc, "/api/greeter/Greeter.Hello").properties!.ptr).toEqual({
      $ref: "#/components/schemas/greeter.Item",
    });
    // int is int64 on every platform go-micro runs on
    const count = deref(
      doc,
      (op(doc, "/api/inventory/Inventory.Check").responses["200"] as any).content["application/json"].schema,
    );
    expect(count.properties!.count).toEqual({ type: "integer", format: "int64" });
  });

  it("shares one component when services agree, and never takes MicroError", () => {
    const mine: Value = { name: "MicroError", type: "MicroError", values: [{ name: "why", type: "string" }] };
    const reply: Value = { name: "Reply", type: "Reply", values: [{ name: "ok", type: "bool" }] };
    const doc = buildOpenApiDocument([
      tsService("a", [{ name: "A.Do", request: mine, response: reply, metadata: {} }]),
      tsService("b", [{ name: "B.Do", request: reply, response: reply, metadata: {} }]),
    ]);
    checkDocument(doc);
    expect(Object.keys(doc.components.schemas)).toEqual(["MicroError", "MicroError_2", "Reply"]);
    expect(requestSchema(doc, "/api/a/A.Do")).toMatchObject({ properties: { why: { type: "string" } } });
    expect(doc.components.schemas.MicroError!.properties!.code).toBeDefined();
  });

  it("keeps operation ids and component names within OpenAPI's alphabet", () => {
    const v: Value = { name: "x", type: "my type", values: [{ name: "a", type: "string" }] };
    const doc = buildOpenApiDocument([
      tsService("weird service", [{ name: "X.Do", request: v, metadata: {} }]),
      tsService("weird_service", [{ name: "X.Do", metadata: {} }]),
    ]);
    checkDocument(doc);
    expect(Object.keys(doc.paths)).toEqual(["/api/weird%20service/X.Do", "/api/weird_service/X.Do"]);
    expect(op(doc, "/api/weird%20service/X.Do").operationId).toBe("weird_service.X.Do");
    expect(op(doc, "/api/weird_service/X.Do").operationId).toBe("weird_service.X.Do_2");
  });
});

// What core's schemaOf (server/endpoints.ts) writes for protobufjs reflection of
//   message HelloRequest { string name; int64 id; bytes blob; repeated string tags;
//     repeated Address addresses; map<string,string> labels; map<string,Address> by_name;
//     Status status; pkg.Address home; Empty nothing; }
//   message Address { string street; Geo geo; }  message Geo { double lat; Point p; }
//   message Point { int32 x; }  message Empty {}  enum Status { ... }
// The live test below checks this against a real service's registration.
const TS_ADDRESS: Value[] = [
  { name: "street", type: "string" },
  {
    name: "geo",
    type: "Geo",
    values: [
      { name: "lat", type: "double" },
      { name: "p", type: "Point" },
    ],
  },
];
const TS_HELLO: Value = {
  name: "HelloRequest",
  type: "HelloRequest",
  values: [
    { name: "name", type: "string" },
    { name: "id", type: "int64" },
    { name: "blob", type: "bytes" },
    { name: "tags", type: "[]string" },
    { name: "addresses", type: "[]Address", values: TS_ADDRESS },
    { name: "labels", type: "" },
    { name: "by_name", type: "", values: TS_ADDRESS },
    { name: "status", type: "Status" },
    { name: "home", type: "pkg.Address", values: TS_ADDRESS },
    { name: "nothing", type: "Empty", values: [] },
  ],
};
const TS_REPLY: Value = {
  name: "HelloReply",
  type: "HelloReply",
  values: [{ name: "message", type: "string" }],
};

describe("TypeScript shapes", () => {
  const doc = buildOpenApiDocument([
    tsService("tsgreeter", [
      {
        name: "Greeter.Hello",
        request: TS_HELLO,
        response: TS_REPLY,
        metadata: { description: "Greets.\nMore." },
      },
      { name: "Greeter.Watch", request: TS_HELLO, response: TS_REPLY, metadata: { stream: "true" } },
      { name: "Greeter.Chat", request: TS_REPLY, response: TS_REPLY, metadata: { stream: "bidi" } },
      { name: "Greeter.Plain", metadata: { idempotent: "false" } },
      { name: "UserCreated", request: TS_REPLY, metadata: { topic: "user.created", subscriber: "true" } },
    ]),
  ]);

  it("maps protobuf scalars, repeated fields, maps and messages", () => {
    checkDocument(doc);
    const p = requestSchema(doc, "/api/tsgreeter/Greeter.Hello").properties!;
    expect(p.id).toEqual({ type: "integer", format: "int64" });
    expect(p.blob).toEqual({ type: "string", contentEncoding: "base64" });
    expect(p.tags).toEqual({ type: "array", items: { type: "string" } });
    expect(p.addresses).toEqual({ type: "array", items: { $ref: "#/components/schemas/Address" } });
    // our server writes "" for map fields: objects, with the value message's fields when known
    expect(p.labels).toEqual({ type: "object", additionalProperties: {} });
    expect(p.by_name).toEqual({
      type: "object",
      additionalProperties: { $ref: "#/components/schemas/Address" },
    });
    // `pkg.Address` is the field's reference to the message that calls itself Address
    expect(p.home).toEqual({ $ref: "#/components/schemas/Address" });
    expect(p.nothing).toEqual({ type: "object", title: "Empty" });
    expect(p.status).toMatchObject({ "x-micro-type": "Status" });
    const geo = deref(doc, doc.components.schemas.Address!.properties!.geo);
    expect(geo.properties!.lat).toEqual({ type: "number", format: "double" });
    expect(geo.properties!.p!.description).toContain("Point");
  });

  it("takes summary and description from metadata and leaves subscribers out", () => {
    const hello = op(doc, "/api/tsgreeter/Greeter.Hello");
    expect(hello.summary).toBe("Greets.");
    expect(hello.description).toBe("Greets.\nMore.");
    expect(doc.paths["/api/tsgreeter/UserCreated"]).toBeUndefined();
    const plain = op(doc, "/api/tsgreeter/Greeter.Plain");
    expect(plain["x-micro-idempotent"]).toBe(false);
    expect(plain.requestBody!.content["application/json"]!.schema).toEqual({});
  });

  it("marks our streams: the kind when metadata names it, else server", () => {
    expect(op(doc, "/api/tsgreeter/Greeter.Watch")["x-micro-stream"]).toBe("server");
    expect(op(doc, "/api/tsgreeter/Greeter.Watch")["x-micro-messages"]).toEqual({
      send: { $ref: "#/components/schemas/HelloRequest" },
      receive: { $ref: "#/components/schemas/HelloReply" },
    });
    expect(op(doc, "/api/tsgreeter/Greeter.Chat")["x-micro-stream"]).toBe("bidi");
  });
});

describe("schemas of hand-written and unusual types", () => {
  const field = (type: string, values?: Value[]): JsonSchema => {
    const root: Value = {
      name: "R",
      type: "R",
      values: [{ name: "f", type, ...(values ? { values } : {}) }],
    };
    const foo: Value = { name: "Foo", type: "Foo", values: [{ name: "a", type: "string" }] };
    const set = buildSchemaSet([{ service: "s", dialect: "go", values: [root, foo] }]);
    return set.components.R!.properties!.f!;
  };

  it("reads Go type expressions", () => {
    const foo = { $ref: "#/components/schemas/Foo" };
    expect(field("[]byte")).toEqual({ type: "string", contentEncoding: "base64" });
    expect(field("[]string")).toEqual({ type: "array", items: { type: "string" } });
    expect(field("[]*Foo")).toEqual({ type: "array", items: foo });
    expect(field("*Foo")).toEqual(foo);
    expect(field("map[string]string")).toEqual({ type: "object", additionalProperties: { type: "string" } });
    expect(field("map[string]*Foo")).toEqual({ type: "object", additionalProperties: foo });
    expect(field("map[string][]int32")).toEqual({
      type: "object",
      additionalProperties: { type: "array", items: { type: "integer", format: "int32" } },
    });
    expect(field("[3]float64")).toEqual({
      type: "array",
      items: { type: "number", format: "double" },
      minItems: 3,
      maxItems: 3,
    });
    expect(field("time.Time")).toEqual({ type: "string", format: "date-time" });
    expect(field("uint64")).toEqual({ type: "integer", format: "int64", minimum: 0 });
    expect(field("interface {}")).toEqual({});
    expect(field("any")).toEqual({});
  });

  it("never throws on what it cannot read", () => {
    for (const t of ["chan int", "func()", "map[string", "complex128", "struct { A int }", "Bar"]) {
      const s = field(t);
      expect(s.$ref, t).toBeUndefined();
      expect(s.description, t).toBeTruthy();
    }
    expect(field("[]").type).toBe("array");
    // a Go anonymous struct: "" with fields
    expect(field("", [{ name: "x", type: "int32" }])).toEqual({
      type: "object",
      properties: { x: { type: "integer", format: "int32" } },
    });
    // a cyclic Value, as only a hand-made one can be
    const loop: Value = { name: "Loop", type: "Loop", values: [] };
    loop.values!.push({ name: "next", type: "Node", values: [loop] });
    const doc = buildOpenApiDocument([tsService("x", [{ name: "X.Do", request: loop, metadata: {} }])]);
    checkDocument(doc);
  });

  it("has scalar schemas for Go and protobuf names", () => {
    expect(scalarSchema("sfixed64")).toEqual({ type: "integer", format: "int64" });
    expect(scalarSchema("float")).toEqual({ type: "number", format: "float" });
    expect(scalarSchema("Time")).toEqual({ type: "string", format: "date-time" });
    expect(scalarSchema("Foo")).toBeUndefined();
  });
});

describe("merging and options", () => {
  const v1 = goService("greeter", GO_GREETER.slice(1, 2), "1.0.0");
  const v2 = tsService(
    "greeter",
    [
      { name: "Greeter.Hello", request: TS_REPLY, response: TS_REPLY, metadata: {} },
      { name: "Greeter.New", request: TS_REPLY, metadata: {} },
    ],
    "1.10.0",
  );

  it("takes the union of versions' endpoints, newest shape first", () => {
    const doc = buildOpenApiDocument([v1, v2, goService("inventory", GO_INVENTORY)]);
    checkDocument(doc);
    expect(doc.tags).toEqual([
      { name: "greeter", "x-micro-versions": ["1.0.0", "1.10.0"] },
      { name: "inventory", "x-micro-versions": ["latest"] },
    ]);
    expect(Object.keys(doc.paths)).toEqual([
      "/api/greeter/Greeter.Hello",
      "/api/greeter/Greeter.New",
      "/api/inventory/Inventory.Check",
    ]);
    expect(op(doc, "/api/greeter/Greeter.Hello")["x-micro-versions"]).toBeUndefined();
    expect(op(doc, "/api/greeter/Greeter.New")["x-micro-versions"]).toEqual(["1.10.0"]);
    expect(requestSchema(doc, "/api/greeter/Greeter.Hello").properties).toEqual({
      message: { type: "string" },
    });
  });

  it("is the same JSON whatever the order of its input", () => {
    const a = JSON.stringify(buildOpenApiDocument([v1, v2, goService("inventory", GO_INVENTORY)]));
    const shuffled = [goService("inventory", GO_INVENTORY), v2, v1].map((s) => ({
      ...s,
      endpoints: [...s.endpoints].reverse(),
    }));
    expect(JSON.stringify(buildOpenApiDocument(shuffled))).toBe(a);
  });

  it("applies title, version, server, base path and bearer auth", () => {
    const doc = buildOpenApiDocument([goService("inventory", GO_INVENTORY)], {
      title: "Shop",
      version: "2.0.0",
      serverUrl: "https://api.example.com",
      basePath: "rpc/",
      auth: true,
    });
    checkDocument(doc);
    expect(doc.info).toMatchObject({ title: "Shop", version: "2.0.0" });
    expect(doc.servers).toEqual([{ url: "https://api.example.com" }]);
    expect(Object.keys(doc.paths)).toEqual(["/rpc/inventory/Inventory.Check"]);
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: "http", scheme: "bearer" }),
    });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(op(doc, "/rpc/inventory/Inventory.Check").security).toEqual([{ bearerAuth: [] }]);
  });

  it("is an empty but valid document for an empty registry", () => {
    const doc = buildOpenApiDocument([]);
    checkDocument(doc);
    expect(doc.paths).toEqual({});
  });
});

const decoder = new TextDecoder();

async function current(live: LiveOpenApi): Promise<OpenApiDocument> {
  return JSON.parse(decoder.decode(await live.json())) as OpenApiDocument;
}

/** Polls until the live document satisfies `ok`; the registry's events arrive asynchronously. */
async function until(live: LiveOpenApi, ok: (doc: OpenApiDocument) => boolean, ms = 3000) {
  const end = Date.now() + ms;
  for (;;) {
    const doc = await current(live);
    if (ok(doc)) return doc;
    if (Date.now() > end) throw new Error(`timed out; paths: ${Object.keys(doc.paths).join(", ")}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const quiet = { logger: silentLogger, debounce: 20, retryMin: 10, retryMax: 40 };

describe("LiveOpenApi", () => {
  it("follows a memory registry: register, update, deregister", async () => {
    const registry = new MemoryRegistry();
    await registry.register(goService("greeter", GO_GREETER));
    const live = new LiveOpenApi(registry, quiet);
    try {
      const first = await current(live);
      checkDocument(first);
      expect(Object.keys(first.paths)).toContain("/api/greeter/Greeter.Hello");

      const inventory = goService("inventory", GO_INVENTORY);
      await registry.register(inventory);
      const second = await until(live, (d) => !!d.paths["/api/inventory/Inventory.Check"]);
      checkDocument(second);
      expect(second.components.schemas["inventory.Item"]).toBeDefined();

      await registry.deregister(inventory);
      const third = await until(live, (d) => !d.paths["/api/inventory/Inventory.Check"]);
      expect(third.components.schemas["inventory.Item"]).toBeUndefined();
      expect(JSON.stringify(third)).toBe(JSON.stringify(first));
      expect(await live.etag()).toMatch(/^"[\w-]+"$/);
    } finally {
      live.close();
      await registry.close();
    }
  });

  it("keeps the same bytes while the document does not change", async () => {
    const registry = new MemoryRegistry();
    const reads: string[] = [];
    const getService = registry.getService.bind(registry);
    registry.getService = async (name: string) => {
      reads.push(name);
      return getService(name);
    };
    const live = new LiveOpenApi(registry, quiet);
    try {
      const empty = await live.etag();
      const svc = goService("inventory", GO_INVENTORY);
      const second = { ...svc, nodes: [{ ...svc.nodes[0]!, id: "inventory-2" }] };
      await registry.register(svc);
      await until(live, (d) => Object.keys(d.paths).length === 1);
      const bytes = await live.json();
      const tag = await live.etag();
      const before = reads.length;
      await registry.register(second); // a node more: nothing the document shows
      for (let i = 0; i < 300 && reads.length === before; i++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 20));
      expect(reads.length).toBeGreaterThan(before);
      expect(await live.json()).toBe(bytes);
      expect(await live.etag()).toBe(tag);
      await registry.deregister(svc);
      await registry.deregister(second);
      await until(live, (d) => Object.keys(d.paths).length === 0);
      expect(await live.etag()).toBe(empty);
    } finally {
      live.close();
      await registry.close();
    }
  });

  it("gathers a burst of events into one read per service", async () => {
    const registry = new MemoryRegistry();
    const reads: string[] = [];
    const getService = registry.getService.bind(registry);
    registry.getService = async (name: string) => {
      reads.push(name);
      return getService(name);
    };
    const live = new LiveOpenApi(registry, { ...quiet, debounce: 50 });
    try {
      await live.json();
      for (let i = 0; i < 20; i++) {
        await registry.register(tsService("burst", [{ name: `Burst.E${i}`, metadata: {} }]));
        await registry.register(tsService(`other${i % 5}`, [{ name: `Other.E${i}`, metadata: {} }]));
      }
      const doc = await until(live, (d) => !!d.paths["/api/burst/Burst.E19"]);
      checkDocument(doc);
      expect(Object.keys(doc.paths)).toEqual([
        "/api/burst/Burst.E19",
        "/api/other0/Other.E15",
        "/api/other1/Other.E16",
        "/api/other2/Other.E17",
        "/api/other3/Other.E18",
        "/api/other4/Other.E19",
      ]);
      expect(reads.filter((n) => n === "burst").length).toBeLessThanOrEqual(2);
      expect(reads.filter((n) => n === "other0").length).toBeLessThanOrEqual(2);
    } finally {
      live.close();
      await registry.close();
    }
  });

  it("keeps serving the last document while the registry is away, and catches up", async () => {
    const inner = new MemoryRegistry();
    await inner.register(goService("greeter", GO_GREETER));
    let down = false;
    let watches = 0;
    // a registry whose watch ends and whose reads fail while it is down
    const flaky: Registry = {
      name: "flaky",
      register: (s, o) => inner.register(s, o),
      deregister: (s) => inner.deregister(s),
      getService: async (n) => {
        if (down) throw new Error("connection refused");
        return inner.getService(n);
      },
      listServices: async () => {
        if (down) throw new Error("connection refused");
        return inner.listServices();
      },
      watch: (o) => {
        watches++;
        if (down) throw new Error("connection refused");
        return inner.watch(o);
      },
      close: () => inner.close(),
    };
    const live = new LiveOpenApi(flaky, quiet);
    try {
      const first = await live.json();
      down = true;
      await inner.close(); // ends every watch
      await new Promise((r) => setTimeout(r, 100));
      expect(watches).toBeGreaterThan(2); // retried, backing off
      expect(await live.json()).toBe(first);
      await inner.register(goService("inventory", GO_INVENTORY));
      down = false;
      const doc = await until(live, (d) => !!d.paths["/api/inventory/Inventory.Check"]);
      checkDocument(doc);
      expect(doc.paths["/api/greeter/Greeter.Hello"]).toBeDefined();
    } finally {
      live.close();
    }
  });

  it("answers with an empty document when the registry cannot be read at all", async () => {
    const broken: Registry = {
      name: "broken",
      register: async () => {},
      deregister: async () => {},
      getService: async () => [],
      listServices: async () => Promise.reject(new Error("no registry")),
      watch: () => {
        throw new Error("no registry");
      },
      close: async () => {},
    };
    const live = new LiveOpenApi(broken, quiet);
    try {
      const doc = await current(live);
      checkDocument(doc);
      expect(doc.paths).toEqual({});
    } finally {
      live.close();
    }
  });

  it("resolves json() after close() even before the first read", async () => {
    const pending: Registry = {
      name: "pending",
      register: async () => {},
      deregister: async () => {},
      getService: () => new Promise<Service[]>(() => {}),
      listServices: () => new Promise<Service[]>(() => {}),
      watch: () => {
        const never = new Promise<RegistryEvent>(() => {});
        return {
          next: () => never,
          stop() {},
          [Symbol.asyncIterator]: () => ({ next: () => never.then((value) => ({ value, done: false })) }),
        };
      },
      close: async () => {},
    };
    const live = new LiveOpenApi(pending, quiet);
    live.close();
    expect((await current(live)).paths).toEqual({});
  });
});

/** A protobufjs-like reflected message: what core's schemaOf reads. */
function message(name: string, fields: Record<string, object>): MessageType {
  return {
    name,
    fields,
    encode: () => ({ finish: () => new Uint8Array() }),
    decode: () => ({}),
  } as MessageType;
}

describe("a TypeScript service's own registration", () => {
  it("is what the TypeScript fixtures say, and shows up in the live document", async () => {
    const Point = message("Point", { x: { type: "int32" } });
    const Geo = message("Geo", { lat: { type: "double" }, p: { type: "Point", resolvedType: Point } });
    const Address = message("Address", {
      street: { type: "string" },
      geo: { type: "Geo", resolvedType: Geo },
    });
    const Empty = message("Empty", {});
    const Status = { values: { UNKNOWN: 0, OK: 1 } };
    const HelloRequest = message("HelloRequest", {
      name: { type: "string" },
      id: { type: "int64" },
      blob: { type: "bytes" },
      tags: { type: "string", repeated: true },
      addresses: { type: "Address", repeated: true, resolvedType: Address },
      labels: { type: "string", map: true },
      by_name: { type: "Address", map: true, resolvedType: Address },
      status: { type: "Status", resolvedType: Status },
      home: { type: "pkg.Address", resolvedType: Address },
      nothing: { type: "Empty", resolvedType: Empty },
    });
    const HelloReply = message("HelloReply", { message: { type: "string" } });

    const registry = new MemoryRegistry();
    const svc = createService({
      name: "tsgreeter",
      registry,
      transport: "http",
      broker: "memory",
      argv: [],
      env: {},
      logger: silentLogger,
      address: "127.0.0.1:0",
    });
    svc.handle(
      "Greeter",
      {
        async hello() {
          return {};
        },
        async *watch() {},
      },
      {
        endpoints: {
          hello: {
            requestType: HelloRequest,
            responseType: HelloReply,
            metadata: { description: "Greets." },
          },
          watch: { requestType: HelloRequest, responseType: HelloReply },
        },
      },
    );
    const live = new LiveOpenApi(registry, quiet);
    try {
      await svc.start();
      const [record] = await registry.getService("tsgreeter");
      const hello = record!.endpoints.find((e) => e.name === "Greeter.Hello")!;
      expect(hello.request).toEqual(TS_HELLO);
      expect(hello.response).toEqual(TS_REPLY);

      const doc = await until(live, (d) => !!d.paths["/api/tsgreeter/Greeter.Hello"]);
      checkDocument(doc);
      expect(op(doc, "/api/tsgreeter/Greeter.Hello").summary).toBe("Greets.");
      expect(op(doc, "/api/tsgreeter/Greeter.Watch")["x-micro-stream"]).toBe("server");
      expect(requestSchema(doc, "/api/tsgreeter/Greeter.Hello").properties!.by_name).toEqual({
        type: "object",
        additionalProperties: { $ref: "#/components/schemas/Address" },
      });

      await svc.stop();
      await until(live, (d) => !d.paths["/api/tsgreeter/Greeter.Hello"]);
    } finally {
      live.close();
      await svc.stop().catch(() => {});
      await registry.close();
    }
  });
});
