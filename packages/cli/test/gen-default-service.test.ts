// `micro new` and a hand-typed `micro gen` agree on the service name: the scaffold registers its
// alias, which is the proto package, and `micro gen` without --service makes clients that call the
// proto package (protoc-gen-micro's convention), so regenerating by hand changes nothing. Only
// --namespace/--fqdn name the service otherwise, and then the project's `gen` script carries --service.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { micro } from "./helpers.js";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "micro-gen-name-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const registered = async (dir: string) =>
  /export const NAME = "([^"]+)"/.exec(await readFile(join(dir, "src/service.ts"), "utf8"))?.[1];
const called = (module: string) => /readonly service: string = "([^"]+)"/.exec(module)?.[1];

describe("micro new and micro gen", () => {
  it("name the service alike without --service", async () => {
    const dir = join(work, "hello");
    expect((await micro(["new", "hello", "--dir", dir])).code).toBe(0);
    expect(await registered(dir)).toBe("hello");
    const out = join(work, "by-hand");
    const r = await micro(["gen", join(dir, "proto/hello.proto"), "--out", out]);
    expect(r.code).toBe(0);
    const byHand = await readFile(join(out, "hello.micro.ts"), "utf8");
    expect(called(byHand)).toBe("hello");
    expect(byHand).toBe(await readFile(join(dir, "src/gen/hello.micro.ts"), "utf8"));
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    expect(pkg.scripts.gen).toBe("micro-gen proto/hello.proto --out src/gen");
  });

  it("keep go-micro's older <namespace>.<type>.<alias> behind --namespace, with --service in gen", async () => {
    const dir = join(work, "orders");
    const r = await micro(["new", "orders", "--namespace", "go.micro", "--dir", dir]);
    expect(r.stdout).toContain("Created service go.micro.service.orders");
    expect(await registered(dir)).toBe("go.micro.service.orders");
    expect(called(await readFile(join(dir, "src/gen/orders.micro.ts"), "utf8"))).toBe(
      "go.micro.service.orders",
    );
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    expect(pkg.scripts.gen).toBe(
      "micro-gen proto/orders.proto --out src/gen --service go.micro.service.orders",
    );
  });
});
