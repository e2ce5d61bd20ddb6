// Discovery, unary calls and pub/sub between Go and TypeScript with etcd as the registry: the same
// peers as the mdns matrix, registered in a real etcd instead (no network namespace needed).
import { describeWithServer } from "@micro/testing/servers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { goPeerBuilt, host, type Peer } from "./harness.js";

describeWithServer("etcd", "Go <-> TS over etcd", (address) => {
  const registry = ["--registry", "etcd", "--registry_address", address.replace(/^https?:\/\//, "")];
  const env = { MICRO_REGISTRY: "etcd", MICRO_REGISTRY_ADDRESS: address.replace(/^https?:\/\//, "") };
  const suffix = `${process.pid}`;
  let goServer: Peer;
  let tsServer: Peer;

  beforeAll(async () => {
    const missing = goPeerBuilt();
    if (missing) throw new Error(missing);
    goServer = host.spawn("go", [
      "server",
      "--name",
      `etcd.go.${suffix}`,
      "--topic",
      `etcd.events.go.${suffix}`,
      ...registry,
    ]);
    tsServer = host.spawn(
      "ts",
      ["server", "--name", `etcd.ts.${suffix}`, "--topic", `etcd.events.ts.${suffix}`],
      env,
    );
    await Promise.all([goServer.ready(), tsServer.ready()]);
  });

  afterAll(async () => {
    await Promise.all([goServer?.stop(), tsServer?.stop()]);
  });

  it("discovery: each side finds the other's service in etcd", async () => {
    const ts = await host.run("ts", ["get", "--service", `etcd.go.${suffix}`], env);
    expect(ts.lines[0]!.service[0].nodes[0].metadata).toMatchObject({ registry: "etcd", protocol: "mucp" });
    // go-micro's own registry code reads our record (the v5 `micro services` command ignores
    // --registry and always asks mdns, so the capture tool's GetService stands in for it here)
    const go = await host.run("capture", ["registry", ...registry, "--service", `etcd.ts.${suffix}`]);
    const [svc] = JSON.parse(go.stdout);
    expect(svc.name).toBe(`etcd.ts.${suffix}`);
    expect(svc.nodes[0].metadata).toMatchObject({ registry: "etcd", protocol: "mucp", transport: "http" });
    expect(svc.endpoints.map((e: { name: string }) => e.name)).toContain("Greeter.Hello");
  });

  it("unary both ways", async () => {
    const toGo = await host.run(
      "ts",
      ["call", "--service", `etcd.go.${suffix}`, "--body", '{"name":"etcd"}'],
      env,
    );
    expect(toGo.lines[0], toGo.stderr).toEqual({ msg: "Hello etcd" });
    const toTs = await host.run("go", [
      "call",
      "--service",
      `etcd.ts.${suffix}`,
      "--body",
      '{"name":"etcd"}',
      ...registry,
    ]);
    expect(toTs.lines[0], toTs.stderr).toEqual({ msg: "Hello etcd" });
  });

  it("pub/sub both ways over the http broker, found through etcd", async () => {
    const toGo = await host.run(
      "ts",
      ["publish", "--topic", `etcd.events.go.${suffix}`, "--body", '{"id":"e1","message":"ts->go"}'],
      env,
    );
    expect(toGo.code, toGo.stderr).toBe(0);
    await goServer.waitFor((l) => l.id === "e1" && l.message === "ts->go");
    const toTs = await host.run("go", [
      "publish",
      "--topic",
      `etcd.events.ts.${suffix}`,
      "--body",
      '{"id":"e2","message":"go->ts"}',
      ...registry,
    ]);
    expect(toTs.code, toTs.stderr).toBe(0);
    await tsServer.waitFor((l) => l.id === "e2" && l.message === "go->ts");
  });
});
