// The public signatures as TypeScript users meet them. These checks run in the type-check step of
// `pnpm test` (tsc over test/): a signature that regresses fails the build, not just this file.
import { describe, expectTypeOf, it } from "vitest";
import {
  type Client,
  type ClientStream,
  type Context,
  createClient,
  createService,
  type MicroService,
  type PluginContext,
  type Registry,
  registerPlugin,
} from "../src/index.js";
import { type MergeOptions, mergeByVersion } from "../src/plugin-kit.js";

interface HelloReq {
  name: string;
}
interface HelloRsp {
  msg: string;
}

describe("public types", () => {
  // type-level only: never invoked (the client is not real)
  const checkCall = (client: Client) => {
    expectTypeOf(client.call<HelloRsp>("greeter", "Greeter.Hello", { name: "John" })).toEqualTypeOf<
      Promise<HelloRsp>
    >();
    expectTypeOf(client.call("greeter", "Greeter.Hello", { name: "John" })).toEqualTypeOf<Promise<unknown>>();
    // the request type, when given, is checked
    // @ts-expect-error name must be a string
    void client.call<HelloRsp, HelloReq>("greeter", "Greeter.Hello", { name: 1 });
    expectTypeOf(client.stream<HelloRsp, HelloReq>("greeter", "Greeter.Chat")).toEqualTypeOf<
      ClientStream<HelloReq, HelloRsp>
    >();
    expectTypeOf(createClient).returns.toEqualTypeOf<Client>();
  };
  it("call: the response type first, or unknown", () => {
    expectTypeOf(checkCall).toBeFunction();
  });

  it("handle: ctx is a Context in object literals, methods are checked", () => {
    const svc = createService({ name: "types", argv: [], env: {} });
    expectTypeOf(svc).toEqualTypeOf<MicroService>();
    svc.handle("Greeter", {
      async hello(ctx, req: HelloReq): Promise<HelloRsp> {
        expectTypeOf(ctx).toEqualTypeOf<Context>();
        return { msg: `Hello ${req.name}` };
      },
      async *count(ctx, req: { to: number }) {
        expectTypeOf(ctx).toEqualTypeOf<Context>();
        for (let i = 0; i < req.to; i++) yield { n: i };
      },
    });
    class Greeter {
      #greeting = "Hello";
      async hello(_ctx: Context, req: HelloReq): Promise<HelloRsp> {
        return { msg: `${this.#greeting} ${req.name}` };
      }
    }
    svc.handle("Greeter", new Greeter());
    // @ts-expect-error a handler method takes (ctx: Context, request)
    svc.handle("Greeter", { hello: (name: string) => name });
    class Wrong {
      hello(name: string) {
        return name;
      }
    }
    // @ts-expect-error a class method that does not take a Context first is refused too
    svc.handle("Greeter", new Wrong());
  });

  it("subscribe: the message type is the handler's", () => {
    const svc = createService({ name: "types", argv: [], env: {} });
    svc.subscribe("user.created", async (ctx, msg: { id: string }) => {
      expectTypeOf(ctx).toEqualTypeOf<Context>();
      expectTypeOf(msg.id).toEqualTypeOf<string>();
    });
  });

  it("workers: a number in, the worker's number (or undefined) and the typed config out", () => {
    const svc = createService({ name: "types", argv: [], env: {}, workers: 2 });
    expectTypeOf(svc.worker).toEqualTypeOf<number | undefined>();
    expectTypeOf(svc.config().server_workers).toEqualTypeOf<number>();
    // @ts-expect-error workers is a count
    void createService({ name: "types", workers: "2" });
  });

  it("registry(): the registry alone, typed as the interface; mergeByVersion's options", () => {
    const svc = createService({ name: "types", argv: [], env: {} });
    expectTypeOf(svc.registry).returns.toEqualTypeOf<Promise<Registry>>();
    expectTypeOf(mergeByVersion).parameter(1).toEqualTypeOf<MergeOptions | undefined>();
    // @ts-expect-error copy is a boolean
    void mergeByVersion([], { copy: "no" });
  });

  it("registerPlugin: create returns the kind's interface, and the kind must be one of the five", () => {
    expectTypeOf<Parameters<typeof registerPlugin<"registry">>[0]["create"]>().toEqualTypeOf<
      (context: PluginContext) => Registry
    >();
    // type-level only: never invoked
    const checkKind = () => {
      // @ts-expect-error "cache" is not a plugin kind
      registerPlugin({ kind: "cache", name: "x", create: () => ({}) });
    };
    expectTypeOf(checkKind).toBeFunction();
  });
});
