// The real `micro` binary against a real go-micro v5 service (interop's Go peer), both on etcd.
import { describeWithServer } from "@micro/testing/servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GoServer, goPeerMissing, startGoServer } from "./go-peer.js";
import { cleanEnv, micro } from "./helpers.js";

const missing = goPeerMissing();
if (missing) console.warn(`[cli] skipping the Go service tests: ${missing}`);

describeWithServer("etcd", "micro against a go-micro v5 service over etcd", (address) => {
  const registryAddress = address.replace(/^https?:\/\//, "");
  const env = cleanEnv({ MICRO_REGISTRY: "etcd", MICRO_REGISTRY_ADDRESS: registryAddress });
  const name = `cli.go.${process.pid}`;

  describe.skipIf(missing !== undefined)("Go peer", () => {
    let go: GoServer;
    beforeAll(async () => {
      go = await startGoServer([
        "--name",
        name,
        "--version",
        "2.0.0",
        "--registry",
        "etcd",
        "--registry_address",
        registryAddress,
      ]);
    });
    afterAll(async () => {
      await go?.stop();
    });

    it("describes the Go service from the record go-micro wrote", async () => {
      const r = await micro(["describe", name], env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^VERSION\s+2\.0\.0$/m);
      expect(r.stdout).toMatch(
        new RegExp(`^${go.ready.id}\\s+${go.ready.address}\\s+\\S*protocol=mucp`, "m"),
      );
      // protoc-gen-micro advertises request and response types
      expect(r.stdout).toMatch(/^Greeter\.Hello\s+unary\s+Request \{name:string\}\s+Response$/m);
      const json = await micro(["describe", name, "-o", "json"], env);
      const [svc] = JSON.parse(json.stdout);
      expect(svc.nodes[0]).toMatchObject({ id: go.ready.id, address: go.ready.address });
      expect(svc.endpoints.map((e: { name: string }) => e.name)).toContain("Greeter.ServerStream");
    });

    it("calls the Go service, and gets its error back with exit code 1", async () => {
      const r = await micro(["call", name, "Greeter.Hello", '{"name":"Gopher"}', "-o", "json"], env);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ msg: "Hello Gopher" });
      const failed = await micro(["call", name, "Greeter.Fail", '{"name":"x"}'], env);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/^error: .+\(id=.+ code=\d+/);
    });

    it("streams from the Go service", async () => {
      const r = await micro(["stream", name, "Greeter.ServerStream", '{"count":3}'], env);
      expect(r.code, r.stderr).toBe(0);
      // protojson: a zero count is omitted and int64 travels as a string
      expect(r.stdout).toBe('{}\n{"count":"1"}\n{"count":"2"}\n');
    });

    it("bidi-streams with the Go service, which never ends a half-closed stream: --linger stops it", async () => {
      const started = Date.now();
      const r = await micro(["stream", "bidi", name, "Greeter.BidiStream", "--linger", "500ms"], env, {
        stdin: '{"stroke":1}\n{"stroke":2}\n',
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('{"stroke":"1"}\n{"stroke":"2"}\n');
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it("health: a stock go-micro v5 node has no Debug handler but answers, so it is serving", async () => {
      const r = await micro(["health", name, "-o", "json"], env);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.nodes).toEqual([expect.objectContaining({ node: go.ready.id, status: "serving" })]);
    });
  });
});
