// The real `micro` binary against a TypeScript service, both using a real etcd: list, describe,
// call, stream, health, publish/subscribe, register/deregister and watch.
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { describeWithServer } from "@micro/testing/servers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Fixture, startGreeter } from "./fixtures.js";
import { BIN, cleanEnv, expectOneLineError, Micro, micro } from "./helpers.js";

describeWithServer("etcd", "micro against a TypeScript service over etcd", (address) => {
  const registryAddress = address.replace(/^https?:\/\//, "");
  const env = cleanEnv({ MICRO_REGISTRY: "etcd", MICRO_REGISTRY_ADDRESS: registryAddress });
  const name = `cli.greeter.${process.pid}`;
  const topic = `cli.events.${process.pid}`;
  let greeter: Fixture;

  beforeAll(async () => {
    greeter = await startGreeter(
      name,
      { MICRO_REGISTRY: "etcd", MICRO_REGISTRY_ADDRESS: registryAddress },
      topic,
    );
  });
  afterAll(async () => {
    await greeter?.service.stop();
  });

  it("lists services as a table and as JSON", async () => {
    const table = await micro(["services"], env);
    expect(table.code, table.stderr).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^NAME\s+VERSIONS\s+NODES$/);
    const row = rows.find((r) => r.startsWith(`${name} `));
    expect(row).toMatch(new RegExp(`^${name.replaceAll(".", "\\.")}\\s+1\\.2\\.3\\s+1$`));
    // columns line up: VERSIONS starts at the same offset in the header and every row
    const col = header!.indexOf("VERSIONS");
    for (const r of rows) expect(r[col - 1]).toBe(" ");
    // the greeter's subscription registers go-micro's http broker pseudo-service; its versions read
    // as broadcast / queue:<group>, not ff.http.broadcast
    const broker = rows.find((r) => r.startsWith("micro.http.broker "));
    expect(broker).toMatch(/^micro\.http\.broker\s+(broadcast|queue:\S+)(,(broadcast|queue:\S+))*\s+\d+$/);
    expect(broker).toContain("broadcast");
    const json = await micro(["list", "services", "--output", "json"], env);
    expect(JSON.parse(json.stdout)).toContainEqual({ name, versions: ["1.2.3"], nodes: 1 });
    // JSON keeps the registry's own versions for scripts
    const brokerJson = JSON.parse(json.stdout).find((s: { name: string }) => s.name === "micro.http.broker");
    expect(brokerJson.versions).toContain("ff.http.broadcast");
  });

  it("prints a listing larger than a pipe holds whole to a slow reader (4,000 services)", async () => {
    const { EtcdRegistry } = await import("@micro/registry-etcd");
    const holder = new EtcdRegistry({ addresses: [registryAddress] });
    const many = Array.from({ length: 4000 }, (_, i) => ({
      name: `cli.many.${process.pid}.${String(i).padStart(4, "0")}`,
      version: "1.0.0",
      endpoints: [],
      nodes: [{ id: `n${i}`, address: `127.0.0.1:${20000 + i}`, metadata: {} }],
    }));
    try {
      await Promise.all(many.map((s) => holder.register(s, { ttl: 60_000 })));
      // a slow reader: nothing is read for a while, so most of the output waits in the writer
      const child = spawn(process.execPath, [BIN, "services", "--output", "json"], {
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.pause();
      const closed = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
      await sleep(2_000);
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stdout.resume();
      expect(await closed).toBe(0);
      // more than the pipe (64 KiB) and the reader's buffer (64 KiB) hold together
      expect(out.length).toBeGreaterThan(200 * 1024);
      const listed = JSON.parse(out) as { name: string; nodes: number }[];
      const ours = listed.filter((s) => s.name.startsWith(`cli.many.${process.pid}.`));
      expect(ours).toHaveLength(4000);
      expect(ours.every((s) => s.nodes === 1)).toBe(true);
    } finally {
      await Promise.all(many.map((s) => holder.deregister(s).catch(() => {})));
      await holder.close();
    }
  }, 60_000);

  it("describes a service: one row per node, one per endpoint; JSON is go-micro's registry JSON", async () => {
    const r = await micro(["describe", name], env);
    expect(r.code, r.stderr).toBe(0);
    const node = greeter.service.server.service().nodes[0]!;
    expect(r.stdout).toMatch(new RegExp(`^SERVICE\\s+${name.replaceAll(".", "\\.")}$`, "m"));
    expect(r.stdout).toMatch(new RegExp(`^${node.id}\\s+${node.address}\\s+\\S*registry=etcd`, "m"));
    expect(r.stdout).toMatch(/^Greeter\.Hello\s+unary/m);
    expect(r.stdout).toMatch(/^Greeter\.Count\s+stream/m);
    expect(r.stdout).toMatch(new RegExp(`subscriber ${topic.replaceAll(".", "\\.")}`));
    const json = await micro(["registry", "get", name, "-o", "json"], env);
    const [svc] = JSON.parse(json.stdout);
    expect(svc).toMatchObject({ name, version: "1.2.3", metadata: null });
    expect(svc.nodes).toEqual([expect.objectContaining({ id: node.id, address: node.address })]);
  });

  it("calls an endpoint with headers, through discovery and directly with --address", async () => {
    const r = await micro(["call", name, "Greeter.Hello", '{"name":"John"}', "-H", "X-From:cli"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ msg: "Hello John", from: "cli" });
    const direct = await micro(
      [
        "query",
        name,
        "Greeter.Hello",
        '{"name":"Ann"}',
        "--address",
        greeter.service.server.service().nodes[0]!.address,
        "-o",
        "json",
      ],
      cleanEnv({ MICRO_REGISTRY: "etcd", MICRO_REGISTRY_ADDRESS: "127.0.0.1:1" }),
    );
    // the registry is unreachable here: only --address can have found the node
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stdout).toBe('{"msg":"Hello Ann","from":""}\n');
  });

  it("reports a service's error in one line with exit code 1, and an unknown service with 3", async () => {
    const bad = await micro(["call", name, "Greeter.Hello", "{}"], env);
    expect(bad.code).toBe(1);
    expect(expectOneLineError(bad)).toBe(
      `error: name is required (id=${name} code=400 status="Bad Request")`,
    );
    const missing = await micro(["call", `nosuch.${process.pid}`, "Greeter.Hello", "{}"], env);
    expect(missing.code).toBe(3);
    expect(expectOneLineError(missing)).toContain(`service nosuch.${process.pid}: not found`);
    const described = await micro(["describe", `nosuch.${process.pid}`, "-o", "json"], env);
    expect(described.code).toBe(3);
    expect(JSON.parse(described.stderr).error.detail).toContain("not found");
  });

  it("streams server replies and bidi JSON lines from stdin", async () => {
    const server = await micro(["stream", name, "Greeter.Count", '{"to":3}'], env);
    expect(server.code, server.stderr).toBe(0);
    expect(server.stdout).toBe('{"n":0}\n{"n":1}\n{"n":2}\n');
    const bidi = await micro(["stream", "bidi", name, "Greeter.Echo"], env, {
      stdin: '{"say":"one"}\n\n{"say":"two"}\n',
    });
    expect(bidi.code, bidi.stderr).toBe(0);
    expect(bidi.stdout).toBe('{"said":"ONE"}\n{"said":"TWO"}\n');
    const broken = await micro(["stream", "bidi", name, "Greeter.Echo"], env, {
      stdin: '{"say":"one"}\n{oops\n',
    });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("stdin line 2 is not valid JSON");
  });

  it("completes service names and a service's endpoints from the registry", async () => {
    const services = await micro(["__complete", "call", name.slice(0, -1)], env);
    expect(services.stdout.split("\n")).toContain(name);
    const endpoints = await micro(["__complete", "call", name, "Greeter."], env);
    expect(endpoints.stdout).toBe("Greeter.Count\nGreeter.Echo\nGreeter.Hello\n");
  });

  it("checks health per node: a TS node without Debug.Health is reported serving", async () => {
    const r = await micro(["health", name, "-o", "json"], env);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.healthy).toBe(true);
    expect(report.nodes).toEqual([
      expect.objectContaining({ node: greeter.service.server.service().nodes[0]!.id, status: "serving" }),
    ]);
  });

  it("publishes to the service's subscriber and to a micro subscribe process", async () => {
    const sub = new Micro(["subscribe", topic], env);
    try {
      await sub.waitFor(/subscribed to/);
      const pub = await micro(["publish", topic, '{"id":"e1","n":7}'], env);
      expect(pub.code, pub.stderr).toBe(0);
      await sub.waitFor(/"id":"e1"/);
      expect(sub.stdout).toBe('{"id":"e1","n":7}\n');
      await expect.poll(() => greeter.events).toContainEqual({ id: "e1", n: 7 });
    } finally {
      // Ctrl-C is how a user ends it: a clean exit, code 0
      expect(await sub.stop("SIGINT")).toBe(0);
    }
  });

  it("registers and deregisters a service, which registry watch reports; SIGTERM stops the watch", async () => {
    const fake = `cli.fake.${process.pid}`;
    const record = JSON.stringify({
      name: fake,
      version: "0.1",
      metadata: null,
      endpoints: [],
      nodes: [{ id: `${fake}-1`, address: "127.0.0.1:1", metadata: { protocol: "mucp" } }],
    });
    const watch = new Micro(["registry", "watch", fake, "-o", "json"], env);
    try {
      await watch.waitFor(/watching/);
      const reg = await micro(["register", "service", record], env);
      expect(reg.code, reg.stderr).toBe(0);
      const listed = await micro(["describe", fake, "-o", "json"], env);
      expect(JSON.parse(listed.stdout)[0].nodes[0].id).toBe(`${fake}-1`);
      // the node's address refuses connections: health says down, exit 1
      const health = await micro(["health", fake], env);
      expect(health.code).toBe(1);
      expect(health.stdout).toMatch(
        new RegExp(`^${fake.replaceAll(".", "\\.")}-1\\s+127\\.0\\.0\\.1:1\\s+0\\.1\\s+down`, "m"),
      );
      const dereg = await micro(["deregister", "service", record], env);
      expect(dereg.code, dereg.stderr).toBe(0);
      expect((await micro(["describe", fake], env)).code).toBe(3);
      await watch.waitFor(/"action":"delete"/);
      const events = watch.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(events.map((e) => e.action)).toEqual(["create", "delete"]);
      expect(events[0].service.nodes[0]).toMatchObject({ id: `${fake}-1`, address: "127.0.0.1:1" });
    } finally {
      expect(await watch.stop("SIGTERM")).toBe(0);
    }
  });
});
