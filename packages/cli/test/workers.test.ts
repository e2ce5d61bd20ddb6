// A service served by several processes (`--server_workers`): real processes on loopback, the
// default stack's real plugins (mdns registry, http transport, http and memory brokers) and NATS.
// Several connections' calls reach every worker, one node is registered (by the primary), each
// message is handled once per node, a dead worker is replaced, a stop deregisters before the workers
// drain, and no worker outlives its primary. (Here rather than in core: core's tests have no real
// transport or registry to share between processes.)
import "@micro/defaults";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createService, isMicroError, type MicroService, silentLogger } from "@micro/core";
import { eventually, type JsonLine, JsonLinesProcess, loopbackEnv, uniqueName } from "@micro/testing/helpers";
import { describeWithServer } from "@micro/testing/servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./support/workers-service.mjs", import.meta.url));

function startFixture(name: string, env: Record<string, string> = {}, args: string[] = []) {
  const proc = spawn(process.execPath, [script, name, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: loopbackEnv({ MICRO_LOG_LEVEL: "info", ...env }),
  });
  return new JsonLinesProcess(proc, { name, graceMs: 10_000 });
}

/** Waits until the primary has started (it prints afterStart once its workers serve and it registered). */
async function started(p: JsonLinesProcess): Promise<JsonLine> {
  return p.waitFor((l) => l.event === "afterStart" && l.worker === 0 && l.pid === p.proc.pid);
}

/** The worker processes that printed afterStart, by worker number (the latest for each). */
function workerPids(p: JsonLinesProcess): Map<number, number> {
  const out = new Map<number, number>();
  for (const l of p.lines) if (l.event === "afterStart" && l.worker > 0) out.set(l.worker, l.pid);
  return out;
}

/** The live child processes of `pid` (from /proc). */
function children(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(ppid) === pid && state !== "Z") out.push(Number(d));
    } catch {}
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A caller on the same registry (mdns on loopback), with `broker`. */
function caller(broker = "http", extra: Record<string, unknown> = {}): MicroService {
  return createService({
    name: uniqueName("workers.caller"),
    registry: "mdns",
    transport: "http",
    broker,
    address: "127.0.0.1:0",
    ...(broker === "http" ? { brokerAddress: "127.0.0.1:0" } : {}),
    argv: [],
    env: {},
    flagValues: { mdns_interface: "127.0.0.1", ...extra },
    logger: silentLogger,
  });
}

/** `n` calls at once, so the client opens several connections. */
async function pidsOfCalls(c: MicroService, name: string, n: number): Promise<number[]> {
  const replies = await Promise.all(
    Array.from({ length: n }, () => c.client.call<{ pid: number }>(name, "Pid.Get", {})),
  );
  return replies.map((r) => r.pid);
}

async function nodes(c: MicroService, name: string) {
  const services = await (await c.stack()).registry.getService(name).catch(() => []);
  return services.flatMap((s) => s.nodes);
}

describe("a service with --server_workers=2 (mdns, http transport, http broker)", () => {
  const name = uniqueName("workers");
  let p: JsonLinesProcess;
  const c = caller();

  beforeAll(async () => {
    p = startFixture(name, { MICRO_SERVER_WORKERS: "2" });
    await started(p);
  }, 30_000);
  afterAll(async () => {
    await p?.stop("SIGKILL");
    await c.stop();
  });

  it("forks two workers sharing one port; calls over several connections land on both", async () => {
    const workers = workerPids(p);
    expect([...workers.keys()].sort()).toEqual([1, 2]);
    expect(children(p.proc.pid!).sort()).toEqual([...workers.values()].sort());
    // each worker's listener reports the same address: cluster shares the port asked for (:0)
    const listening = p.stderr.match(/listening on (\S+) .*worker=\d/g) ?? [];
    expect(new Set(listening.map((l) => l.split(" ")[2])).size).toBe(1);
    const seen = await eventually(async () => {
      const pids = new Set(await pidsOfCalls(c, name, 16));
      expect(pids.size).toBe(2);
      return pids;
    }, 10_000);
    expect([...seen].sort()).toEqual([...workers.values()].sort());
    // the primary serves no call; the workers' log lines say which worker they come from
    expect(p.lines.some((l) => l.event === "call" && l.pid === p.proc.pid)).toBe(false);
    expect(p.stderr).toMatch(/ INFO \[micro\] \S+ listening on .* worker=1 node=/);
  });

  it("registers one node, from the primary, with micro-ts-workers=2 and the endpoints", async () => {
    const registered = await eventually(async () => {
      const n = await nodes(c, name);
      expect(n).toHaveLength(1);
      return n[0]!;
    });
    expect(registered.metadata).toMatchObject({ "micro-ts-workers": "2", protocol: "mucp" });
    // the workers name the same node in their log lines: they serve it, they do not register it
    expect(p.stderr).toContain(`worker=2 node=${registered.id}`);
    expect(p.stderr.match(/registered \S+ node/g)).toHaveLength(1);
    const [svc] = await (await c.stack()).registry.getService(name);
    expect(svc!.endpoints.map((e) => e.name)).toEqual(
      expect.arrayContaining(["Pid.Get", "Pid.Slow", "Pid.Publish"]),
    );
  });

  it("the http broker: each publication is handled once, by the primary", async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `http-${i}`);
    // the http broker finds subscribers through the registry: wait until the caller sees one
    await eventually(async () => {
      await c.client.publish(`${name}.events`, { id: "probe" });
      expect(p.lines.some((l) => l.event === "handled" && l.id === "probe")).toBe(true);
    }, 10_000);
    for (const id of ids) await c.client.publish(`${name}.events`, { id });
    // publications from inside the workers too (their clients publish; the primary subscribed)
    for (let i = 0; i < 4; i++) await c.client.call(name, "Pid.Publish", { id: `w-${i}` });
    const all = [...ids, "w-0", "w-1", "w-2", "w-3"];
    await p.until(
      () => all.every((id) => p.lines.some((l) => l.event === "handled" && l.id === id)),
      "every publication handled",
    );
    await new Promise((r) => setTimeout(r, 300));
    const handled = p.lines.filter((l) => l.event === "handled" && all.includes(l.id));
    expect(handled.map((l) => l.id).sort()).toEqual([...all].sort());
    expect(new Set(handled.map((l) => l.pid))).toEqual(new Set([p.proc.pid]));
  });

  it("a killed worker is replaced (logged at warn); its call in flight fails like a dead node's", async () => {
    const call = c.client.call(name, "Pid.Slow", { ms: 10_000 }, { retries: 0 });
    const slow = await p.waitFor((l) => l.event === "slow");
    const victim = slow.pid as number;
    const number = [...workerPids(p)].find(([, pid]) => pid === victim)![0];
    process.kill(victim, "SIGKILL");
    const err = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isMicroError(err), String(err)).toBe(true);
    await p.until(
      () =>
        new RegExp(
          `WARN \\[micro\\] worker ${number} \\(pid ${victim}\\) exited \\(signal SIGKILL\\); starting another in \\d+ ms`,
        ).test(p.stderr),
      "the replacement warning",
    );
    const replacement = await p.waitFor(
      (l) => l.event === "afterStart" && l.worker === number && l.pid !== victim,
    );
    expect(children(p.proc.pid!)).toContain(replacement.pid);
    // it serves on the same port, so the one registered node still reaches both workers
    await eventually(async () => {
      expect(new Set(await pidsOfCalls(c, name, 16))).toContain(replacement.pid);
    }, 10_000);
    expect(await nodes(c, name)).toHaveLength(1);
  });

  it("SIGTERM: the node is deregistered, the workers drain their calls, then every process exits", async () => {
    const workers = [...workerPids(p).values()].filter(alive);
    expect(workers).toHaveLength(2);
    const inFlight = c.client.call<{ pid: number }>(name, "Pid.Slow", { ms: 3000 }, { retries: 0 });
    const slow = await p.waitFor((l) => l.event === "slow" && l.ms === 3000);
    const stopped = p.stop("SIGTERM");
    // gone from the registry while the call still runs on its worker: the primary deregisters first,
    // and that worker drains its call before it exits
    await eventually(async () => expect(await nodes(c, name)).toHaveLength(0), 2500, 50);
    expect(alive(slow.pid)).toBe(true);
    expect((await inFlight).pid).toBe(slow.pid);
    await stopped;
    expect(p.proc.exitCode).toBe(0);
    expect(workers.filter(alive)).toEqual([]);
    // the workers stop when the primary tells them, after its beforeStop; its afterStop comes last
    const stops = p.lines.filter((l) => l.event === "beforeStop" || l.event === "afterStop");
    expect(stops[0]).toMatchObject({ event: "beforeStop", worker: 0 });
    expect(stops.at(-1)).toMatchObject({ event: "afterStop", worker: 0 });
    expect(
      stops
        .filter((l) => l.event === "afterStop")
        .map((l) => l.worker)
        .sort(),
    ).toEqual([0, 1, 2]);
  });
});

describe("a service with workers and the memory broker", () => {
  it("each publication is handled once, in the process that published it", { timeout: 30_000 }, async () => {
    const name = uniqueName("workers.mem");
    const p = startFixture(name, { MICRO_SERVER_WORKERS: "2", MICRO_BROKER: "memory" });
    const c = caller();
    try {
      await started(p);
      const ids = Array.from({ length: 12 }, (_, i) => `m-${i}`);
      await Promise.all(ids.map((id) => c.client.call(name, "Pid.Publish", { id })));
      await p.until(
        () => ids.every((id) => p.lines.some((l) => l.event === "handled" && l.id === id)),
        "every publication handled",
      );
      await new Promise((r) => setTimeout(r, 300));
      const handled = p.lines.filter((l) => l.event === "handled");
      expect(handled.map((l) => l.id).sort()).toEqual([...ids].sort());
      // the memory broker is per process: the publishing worker's own subscriber took it
      for (const l of handled) expect(l.pid).toBe(l.from);
      expect(new Set(handled.map((l) => l.worker))).toEqual(new Set([1, 2]));
    } finally {
      await p.stop();
      await c.stop();
    }
  });
});

describeWithServer("nats", "a service with workers and the NATS broker", (url) => {
  it("each publication is handled once per node, by the primary", { timeout: 30_000 }, async () => {
    const name = uniqueName("workers.nats");
    const p = startFixture(name, {
      MICRO_SERVER_WORKERS: "2",
      MICRO_BROKER: "nats",
      MICRO_BROKER_ADDRESS: url,
    });
    const c = caller("nats", { broker_address: [url] });
    try {
      await started(p);
      const direct = Array.from({ length: 6 }, (_, i) => `n-${i}`);
      for (const id of direct) await c.client.publish(`${name}.events`, { id });
      const fromWorkers = Array.from({ length: 6 }, (_, i) => `nw-${i}`);
      await Promise.all(fromWorkers.map((id) => c.client.call(name, "Pid.Publish", { id })));
      const all = [...direct, ...fromWorkers];
      await p.until(
        () => all.every((id) => p.lines.some((l) => l.event === "handled" && l.id === id)),
        "every publication handled",
      );
      await new Promise((r) => setTimeout(r, 300));
      const handled = p.lines.filter((l) => l.event === "handled");
      expect(handled.map((l) => l.id).sort()).toEqual([...all].sort());
      expect(new Set(handled.map((l) => l.pid))).toEqual(new Set([p.proc.pid]));
    } finally {
      await p.stop();
      await c.stop();
    }
  });
});

describe("the processes of a service with workers", () => {
  it("no worker outlives its primary", { timeout: 30_000 }, async () => {
    const p = startFixture(uniqueName("workers.orphans"), { MICRO_SERVER_WORKERS: "2" });
    await started(p);
    const workers = [...workerPids(p).values()];
    expect(workers.every(alive)).toBe(true);
    p.kill();
    await p.exited;
    await eventually(() => expect(workers.filter(alive)).toEqual([]), 5000, 50);
  });

  it("by default (1) one process serves: nothing is forked", { timeout: 30_000 }, async () => {
    const name = uniqueName("workers.one");
    const p = startFixture(name);
    const c = caller();
    try {
      await started(p);
      expect(await pidsOfCalls(c, name, 8)).toEqual(Array(8).fill(p.proc.pid));
      expect(children(p.proc.pid!)).toEqual([]);
      const [node] = await nodes(c, name);
      expect(node!.metadata).not.toHaveProperty("micro-ts-workers");
    } finally {
      await p.stop();
      await c.stop();
    }
  });

  for (const [args, env, line] of [
    [
      ["--server_worker=2"],
      {},
      "cannot start: MICRO_ERR_INVALID_OPTION: unknown flag --server_worker: did you mean --server_workers?",
    ],
    [
      ["--server_workers=abc"],
      {},
      'cannot start: MICRO_ERR_INVALID_OPTION: --server_workers: expected an integer, got "abc"',
    ],
    [
      [],
      { MICRO_SERVER_WORKERS: "0" },
      'cannot start: MICRO_ERR_INVALID_OPTION: MICRO_SERVER_WORKERS: expected an integer of at least 1, got "0"',
    ],
  ] as const) {
    it(`${args[0] ?? "MICRO_SERVER_WORKERS=0"} is a one-line error, and nothing is forked`, async () => {
      const p = startFixture("workers.bad", { ...env }, [...args]);
      expect(await p.exited).toBe(1);
      await p.until(() => p.stderr.includes("\n"), "the error line");
      const lines = p.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`workers.bad: ${line}`);
      expect(p.lines.filter((l) => l.worker > 0)).toEqual([]);
    });
  }
});
