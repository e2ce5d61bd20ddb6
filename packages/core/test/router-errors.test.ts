// The server's answers to requests its router cannot serve, byte for byte what go-micro v5.30's
// rpc server sends (server/rpc_router.go readHeader/readRequest, rpc_server.go serveReq): plain Go
// errors in Micro-Error, not errors.Error JSON. The texts were read off the interop Go peer.
import { afterEach, describe, expect, it } from "vitest";
import { type Context, createService, MicroError, type MicroService } from "../src/index.js";
import { MemoryTransport } from "./support/memory-transport.js";
import { TestRegistry, testServiceOptions } from "./support/stack.js";

const started: MicroService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function serve() {
  const transport = new MemoryTransport();
  const shared = { registry: new TestRegistry(), transport };
  const mk = (name: string) => {
    const s = createService({ name, ...testServiceOptions(shared) });
    started.push(s);
    return s;
  };
  const srv = mk("greeter").handle(
    "Greeter",
    {
      async hello(_ctx: Context, req: { name: string }) {
        if (!req.name) throw MicroError.badRequest("greeter", "name is required");
        return { msg: `Hello ${req.name}` };
      },
      async *echo(_ctx: Context, inbound: AsyncIterable<unknown>) {
        for await (const m of inbound) yield m;
      },
    },
    { endpoints: { echo: { stream: "bidi" } } },
  );
  await srv.start();
  const address = srv.server.address();
  /** One raw request; the reply's Micro-Error header (and its X- twin). */
  const raw = async (header: Record<string, string>, body = "{}") => {
    const sock = await transport.dial(address);
    await sock.send({
      header: { "Content-Type": "application/json", "Micro-Id": "1", ...header },
      body: Buffer.from(body),
    });
    const rsp = await sock.recv();
    await sock.close();
    expect(rsp.header["X-Micro-Error"]).toBe(rsp.header["Micro-Error"]);
    return rsp.header["Micro-Error"];
  };
  return { client: mk("caller").client, raw };
}

const unary = (endpoint: string) => ({
  "Micro-Service": "greeter",
  "Micro-Endpoint": endpoint,
  "Micro-Method": endpoint,
});

describe("router errors, as go-micro words them", () => {
  const cases: [string, string][] = [
    ["Greeter.Nope", "rpc: can't find method Nope"],
    ["Nope.Hello", "rpc: can't find service Nope"],
    ["Greeter", "rpc: service/endpoint request ill-formed: Greeter"],
    ["Greeter.Hello.X", "rpc: service/endpoint request ill-formed: Greeter.Hello.X"],
    // strings.Split("Greeter.", ".") has two parts: the method is empty, not the request ill-formed
    ["Greeter.", "rpc: can't find method "],
    [".Hello", "rpc: can't find service "],
    // a handler's method is found by its exported (capitalized) name only, as in Go
    ["Greeter.hello", "rpc: can't find method hello"],
  ];

  it.each(cases)("unary %s: Micro-Error is the plain text %j", async (endpoint, text) => {
    const { raw } = await serve();
    expect(await raw(unary(endpoint))).toBe(text);
  });

  it.each(cases)("stream %s: the same text", async (endpoint, text) => {
    const { raw } = await serve();
    expect(await raw({ ...unary(endpoint), "Micro-Stream": "1" })).toBe(text);
  });

  it("a request naming no endpoint is ill-formed with an empty name", async () => {
    const { raw } = await serve();
    expect(await raw({ "Micro-Service": "greeter" })).toBe("rpc: service/endpoint request ill-formed: ");
  });

  it("a body the codec cannot decode: the codec's own error, plain", async () => {
    const { raw } = await serve();
    let parseError = "";
    try {
      JSON.parse('{"name":');
    } catch (err) {
      parseError = (err as Error).message;
    }
    expect(await raw(unary("Greeter.Hello"), '{"name":')).toBe(parseError);
  });

  it("a client sees them as go-micro's errors.Parse does: detail only, no id, code or status", async () => {
    const { client } = await serve();
    for (const [endpoint, text] of cases.slice(0, 4)) {
      const err = await client.call("greeter", endpoint, {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MicroError);
      expect((err as MicroError).toJSON()).toEqual({ detail: text });
    }
    const stream = client.stream("greeter", "Greeter.Nope");
    await expect(stream.recv()).rejects.toMatchObject({
      id: "",
      code: 0,
      detail: "rpc: can't find method Nope",
    });
  });

  it("a handler's own errors.Error still travels as JSON", async () => {
    const { raw } = await serve();
    expect(await raw(unary("Greeter.Hello"))).toBe(
      '{"id":"greeter","code":400,"detail":"name is required","status":"Bad Request"}',
    );
  });
});
