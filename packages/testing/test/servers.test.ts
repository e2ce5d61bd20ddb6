import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  decideServer,
  describeWithServer,
  envFilePath,
  hostPort,
  isCI,
  parseEnvFile,
  resolveServer,
  SERVERS,
  serverEnv,
  tcpReachable,
} from "../src/servers.js";

// exactly what scripts/services/start.sh writes
const START_SH_ENV = `NATS_URL=nats://127.0.0.1:4222
ETCD_ENDPOINTS=http://127.0.0.1:2379
AMQP_URL=amqp://guest:guest@127.0.0.1:5672
KAFKA_BROKERS=127.0.0.1:9092
CONSUL_HTTP_ADDR=127.0.0.1:8500
`;

describe("parseEnvFile", () => {
  it("reads the file start.sh writes", () => {
    expect(parseEnvFile(START_SH_ENV)).toEqual({
      NATS_URL: "nats://127.0.0.1:4222",
      ETCD_ENDPOINTS: "http://127.0.0.1:2379",
      AMQP_URL: "amqp://guest:guest@127.0.0.1:5672",
      KAFKA_BROKERS: "127.0.0.1:9092",
      CONSUL_HTTP_ADDR: "127.0.0.1:8500",
    });
  });

  it("skips comments and blank lines, allows export, quotes, CRLF and '=' in values", () => {
    const text = [
      "# a comment",
      "",
      "export NATS_URL=nats://127.0.0.1:1",
      'AMQP_URL="amqp://u:p@127.0.0.1:2/?x=1"',
      "KAFKA_BROKERS='127.0.0.1:3,127.0.0.1:4'",
      "ETCD_ENDPOINTS = http://127.0.0.1:5 # trailing comment",
      "not a variable line",
      "CONSUL_HTTP_ADDR=127.0.0.1:6\r",
    ].join("\n");
    expect(parseEnvFile(text)).toEqual({
      NATS_URL: "nats://127.0.0.1:1",
      AMQP_URL: "amqp://u:p@127.0.0.1:2/?x=1",
      KAFKA_BROKERS: "127.0.0.1:3,127.0.0.1:4",
      ETCD_ENDPOINTS: "http://127.0.0.1:5",
      CONSUL_HTTP_ADDR: "127.0.0.1:6",
    });
  });
});

describe("hostPort", () => {
  it.each([
    ["nats://127.0.0.1:4222", "127.0.0.1", 4222],
    ["amqp://guest:guest@127.0.0.1:5672", "127.0.0.1", 5672],
    ["amqp://guest:guest@localhost", "localhost", 5672],
    ["http://127.0.0.1:2379,http://127.0.0.1:22379", "127.0.0.1", 2379],
    ["127.0.0.1:9092,127.0.0.1:9093", "127.0.0.1", 9092],
    ["127.0.0.1:8500", "127.0.0.1", 8500],
    ["http://[::1]:8500", "::1", 8500],
  ])("%s", (address, host, port) => {
    expect(hostPort(address)).toEqual({ host, port });
  });

  it("rejects an address without a port it can tell", () => {
    expect(() => hostPort("127.0.0.1")).toThrow(/host and port/);
  });
});

describe("resolveServer", () => {
  const file = parseEnvFile(START_SH_ENV.replace("4222", "14222"));

  it("prefers the environment, then the env file, then the default", () => {
    expect(resolveServer("nats", { NATS_URL: "nats://127.0.0.1:1" }, file)).toMatchObject({
      address: "nats://127.0.0.1:1",
      source: "env",
      port: 1,
    });
    expect(resolveServer("nats", {}, file)).toMatchObject({
      address: "nats://127.0.0.1:14222",
      source: "file",
    });
    expect(resolveServer("nats", {}, {})).toMatchObject({ address: SERVERS.nats.default, source: "default" });
    expect(resolveServer("kafka", { KAFKA_BROKERS: "" }, {})).toMatchObject({
      source: "default",
      port: 9092,
    });
  });

  it("knows every server start.sh starts", () => {
    const vars = Object.keys(parseEnvFile(START_SH_ENV)).sort();
    expect(
      Object.values(SERVERS)
        .map((s) => s.variable)
        .sort(),
    ).toEqual(vars);
    for (const name of Object.keys(SERVERS) as (keyof typeof SERVERS)[]) {
      expect(resolveServer(name, {}, {}).host).toBe("127.0.0.1");
    }
  });

  it("reads $SVC_DIR/env from disk", () => {
    const dir = mkdtempSync(join(tmpdir(), "servers-test-"));
    try {
      writeFileSync(join(dir, "env"), "CONSUL_HTTP_ADDR=127.0.0.1:18500\n");
      expect(envFilePath({ SVC_DIR: dir })).toBe(join(dir, "env"));
      expect(resolveServer("consul", { SVC_DIR: dir })).toMatchObject({ source: "file", port: 18500 });
      expect(envFilePath({})).toBe("/tmp/micro-svc/env");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("decideServer", () => {
  const up = { name: "kafka" as const, host: "127.0.0.1", port: 9092, reachable: true };
  const down = { ...up, reachable: false };

  it("runs when reachable, in CI or not", () => {
    expect(decideServer(up, true)).toEqual({ action: "run" });
    expect(decideServer(up, false)).toEqual({ action: "run" });
  });

  it("fails under CI with how to start it", () => {
    expect(decideServer(down, true)).toEqual({
      action: "fail",
      message: "kafka not reachable at 127.0.0.1:9092; start it with bash scripts/services/start.sh kafka",
    });
  });

  it("skips elsewhere, with the same reason", () => {
    expect(decideServer(down, false)).toEqual({
      action: "skip",
      reason: "kafka not reachable at 127.0.0.1:9092; start it with bash scripts/services/start.sh kafka",
    });
  });

  it("reads CI=true / CI=1 as CI", () => {
    expect(isCI({ CI: "true" })).toBe(true);
    expect(isCI({ CI: "1" })).toBe(true);
    expect(isCI({ CI: "false" })).toBe(false);
    expect(isCI({})).toBe(false);
  });
});

describe("tcpReachable / serverEnv", () => {
  const server = createServer((s) => s.destroy());
  const listening = new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sees a listening port and a closed one", async () => {
    const port = await listening;
    expect(tcpReachable("127.0.0.1", port)).toBe(true);
    const closed = createServer();
    const closedPort = await new Promise<number>((resolve) =>
      closed.listen(0, "127.0.0.1", () => resolve((closed.address() as { port: number }).port)),
    );
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(tcpReachable("127.0.0.1", closedPort)).toBe(false);
  });

  it("probes the address from the environment", async () => {
    const port = await listening;
    expect(serverEnv("etcd", { ETCD_ENDPOINTS: `http://127.0.0.1:${port}` })).toMatchObject({
      reachable: true,
      source: "env",
      port,
    });
  });
});

// describeWithServer itself: a reachable stand-in server runs the suite with its address; an
// unreachable one outside CI gives a skipped suite (the fail path is decideServer's, tested above).
const standIn = createServer((s) => s.destroy());
const standInPort = await new Promise<number>((resolve) =>
  standIn.listen(0, "127.0.0.1", () => resolve((standIn.address() as { port: number }).port)),
);
afterAll(() => new Promise<void>((resolve) => standIn.close(() => resolve())));

const saved = {
  CONSUL_HTTP_ADDR: process.env.CONSUL_HTTP_ADDR,
  KAFKA_BROKERS: process.env.KAFKA_BROKERS,
  CI: process.env.CI,
};
try {
  process.env.CONSUL_HTTP_ADDR = `127.0.0.1:${standInPort}`;
  describeWithServer("consul", "describeWithServer with a reachable server", (address) => {
    it("passes the address to the suite", () => {
      expect(address).toBe(`127.0.0.1:${standInPort}`);
    });
  });
  process.env.KAFKA_BROKERS = "127.0.0.1:1"; // nothing listens on port 1
  process.env.CI = "false";
  describeWithServer("kafka", "describeWithServer with an unreachable server outside CI", () => {
    it("is skipped, never run", () => {
      throw new Error("a skipped suite ran");
    });
  });
} finally {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}
