// protoc-gen-micro-ts: under protoc (when installed) its modules equal micro-gen's for the same
// .proto, message types included; without protoc, the request/response handling and its errors.
import { execFile, execFileSync } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import protobuf from "protobufjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, runPlugin } from "../src/index.js";

const run = promisify(execFile);
const fixtures = new URL("fixtures/", import.meta.url).pathname;
const bin = new URL("../dist/protoc-bin.js", import.meta.url).pathname;

function protocMissing(): string | undefined {
  try {
    execFileSync("protoc", ["--version"], { stdio: "pipe" });
    return undefined;
  } catch {
    return "protoc is not installed";
  }
}

/** Every message's fields as the codecs see them, from a module's embedded descriptor. */
function messageTypesOf(content: string): Record<string, unknown> {
  const literal = /protobuf\.Root\.fromJSON\(JSON\.parse\((".*")\)\);$/m.exec(content)![1]!;
  const root = protobuf.Root.fromJSON(JSON.parse(JSON.parse(literal)));
  root.resolveAll();
  const names = [...content.matchAll(/\$type<\w+>\("([\w.]+)"\)/g)].map((m) => m[1]!);
  return Object.fromEntries(
    names.map((n) => [
      n,
      root.lookupType(n).fieldsArray.map((f) => ({
        name: f.name,
        id: f.id,
        repeated: f.repeated,
        keyType: f instanceof protobuf.MapField ? f.keyType : undefined,
        type: f.resolvedType ? f.resolvedType.fullName : f.type,
        optional: f.options?.proto3_optional,
        oneof: f.partOf?.name,
      })),
    ]),
  );
}

const withoutDescriptor = (content: string) => content.replace(/^const \$root = .*$/m, "");

describe.skipIf(protocMissing() !== undefined)("under protoc", () => {
  let dir: string;
  let plugin: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "protoc-gen-micro-ts-"));
    // protoc runs plugins as executables; this one is node with the built bin
    plugin = join(dir, "protoc-gen-micro-ts");
    await writeFile(plugin, `#!/bin/sh\nexec "${process.execPath}" "${bin}"\n`);
    await chmod(plugin, 0o755);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const protoc = (...args: string[]) =>
    run("protoc", [
      `--plugin=protoc-gen-micro-ts=${plugin}`,
      "-I",
      fixtures,
      "-I",
      join(fixtures, "include"),
      ...args,
    ]);

  it("writes, per .proto, the module micro-gen writes", async () => {
    await protoc(`--micro-ts_out=${dir}`, "--micro-ts_opt=service=shop", "shop.proto", "naming.proto");
    for (const name of ["shop", "naming"]) {
      const [direct] = await generate([join(fixtures, `${name}.proto`)], { serviceName: "shop" });
      const viaProtoc = await readFile(join(dir, `${name}.micro.ts`), "utf8");
      expect(withoutDescriptor(viaProtoc)).toBe(withoutDescriptor(direct!.content));
      // the embedded descriptors differ only in spelling (protoc's fully qualified type names)
      expect(messageTypesOf(viaProtoc)).toEqual(messageTypesOf(direct!.content));
    }
    // the map field is a map again (protobufjs' fromDescriptor leaves it a repeated entry message)
    const shop = messageTypesOf(await readFile(join(dir, "shop.micro.ts"), "utf8"));
    expect(shop["shop.v1.PlaceRequest"]).toContainEqual(
      expect.objectContaining({ name: "labels", keyType: "string" }),
    );
  });

  it("fails the protoc run with the plugin's message", async () => {
    await expect(
      protoc(`--micro-ts_out=${dir}`, "--micro-ts_opt=colour=blue", "shop.proto"),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('unknown parameter "colour=blue"'),
    });
  });
});

// A CodeGeneratorRequest made by hand (the descriptor from protobufjs, whose own map entries do not
// survive its round trip, hence no map here; protoc's do, above), read back from the response.
function request(parameter: string, files: string[], protoFiles: Uint8Array[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const f of files) w.uint32((1 << 3) | 2).string(f);
  w.uint32((2 << 3) | 2).string(parameter);
  for (const p of protoFiles) w.uint32((15 << 3) | 2).bytes(p);
  return w.finish();
}

function response(data: Uint8Array): { error?: string; features: number; files: Record<string, string> } {
  const r = protobuf.Reader.create(data);
  const out: { error?: string; features: number; files: Record<string, string> } = { features: 0, files: {} };
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) out.error = r.string();
    else if (tag >>> 3 === 2) out.features = Number(r.uint64());
    else if (tag >>> 3 === 15) {
      const file = protobuf.Reader.create(r.bytes());
      let name = "";
      let content = "";
      while (file.pos < file.len) {
        const t = file.uint32();
        if (t >>> 3 === 1) name = file.string();
        else if (t >>> 3 === 15) content = file.string();
        else file.skipType(t & 7);
      }
      out.files[name] = content;
    } else r.skipType(tag & 7);
  }
  return out;
}

describe("the plugin protocol", () => {
  const greeter = `syntax = "proto3";
package greeter;
service Greeter { rpc Hello(HelloRequest) returns (HelloResponse) {} }
message HelloRequest { string name = 1; int64 count = 2; }
message HelloResponse { string msg = 1; }
`;
  async function descriptorOf(): Promise<Uint8Array> {
    await import("protobufjs/ext/descriptor/index.js");
    const root = protobuf.parse(greeter, { keepCase: true }).root as protobuf.Root & {
      toDescriptor(syntax: string): protobuf.Message & { file: protobuf.Message[] };
    };
    const set = root.toDescriptor("proto3");
    const file = set.file[0]!;
    (file as unknown as { name: string }).name = "greeter/greeter.proto";
    return (file.constructor as typeof protobuf.Message).encode(file).finish();
  }

  it("answers a request with a module next to the .proto, and says it supports proto3 optional", async () => {
    const rsp = response(
      runPlugin(request("service=greeter.svc", ["greeter/greeter.proto"], [await descriptorOf()])),
    );
    expect(rsp.error).toBeUndefined();
    expect(rsp.features).toBe(1);
    const content = rsp.files["greeter/greeter.micro.ts"]!;
    expect(content).toContain("// Generated by @micro/codegen from greeter.proto. Do not edit.");
    expect(content).toContain('this.client.call<HelloResponse, HelloRequest>(this.service, "Greeter.Hello"');
    expect(content).toContain('readonly service: string = "greeter.svc"');
    expect(content).toContain("  count?: string | number | undefined;");
  });

  it("answers a bad request with an error, not a crash", async () => {
    const bad = response(runPlugin(request("nope", ["greeter/greeter.proto"], [await descriptorOf()])));
    expect(bad.error).toBe('unknown parameter "nope" (known: service=<name>)');
    expect(bad.files).toEqual({});
    const missing = response(runPlugin(request("", ["other.proto"], [])));
    expect(missing.error).toBe("protoc sent no descriptor for other.proto");
  });
});
