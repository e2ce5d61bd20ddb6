// One of three nodes lost under a closed-loop load: real processes on loopback, the default stack
// (mdns registry, http transport). kill -9: each call in flight on the dying node loses its
// connection after its request left; go-micro does not retry that, so at most `concurrency` calls
// fail, and none when the calls are marked idempotent (retried on another node). SIGTERM: the node
// deregisters and drains; a call that reuses an idle connection just as the stopping node closes it
// can still see EOF (rarely: about 1 call in 10 stops), which idempotent calls survive too. (Here
// rather than in core: core's tests have no real transport or registry to share between processes;
// the rules themselves are tested in packages/core/test/lost-connection.test.ts.)
import "@micro/defaults";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createLogger, createService, type Filter, type MicroService } from "@micro/core";
import { eventually, JsonLinesProcess, loopbackEnv, sleep, uniqueName } from "@micro/testing/helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./support/node-loss-service.mjs", import.meta.url));
const CONCURRENCY = 12;
// how long the load runs before and after the node goes (MICRO_NODE_LOSS_MS for longer runs)
const LOAD_MS = Number(process.env.MICRO_NODE_LOSS_MS ?? 500);
// what each call waits in its handler, so calls are in flight when a node goes
const HANDLER_MS = 5;

function startNode(name: string, i: number): JsonLinesProcess {
  const proc = spawn(process.execPath, [script, name], {
    stdio: ["ignore", "pipe", "pipe"],
    env: loopbackEnv(),
  });
  return new JsonLinesProcess(proc, { name: `node ${i}` });
}

async function nodeId(p: JsonLinesProcess, name: string): Promise<string> {
  const line = await p.waitFor((l) => l.event === "afterStart");
  return `${name}-${line.id}`;
}

interface Figures {
  calls: number;
  failed: number;
  errors: string[];
  /** Calls each node answered (by pid). */
  byPid: Map<number, number>;
}

/**
 * `CONCURRENCY` callers, each calling again as soon as its call settles, for LOAD_MS; then `hit()`
 * (the node goes); then LOAD_MS more.
 */
async function closedLoop(
  c: MicroService,
  name: string,
  only: readonly string[],
  idempotent: boolean | undefined,
  hit: () => void | Promise<void>,
): Promise<Figures> {
  const keep: Filter = (services) =>
    services.map((s) => ({ ...s, nodes: s.nodes.filter((n) => only.includes(n.id)) }));
  const f: Figures = { calls: 0, failed: 0, errors: [], byPid: new Map() };
  let running = true;
  const caller = async () => {
    while (running) {
      f.calls++;
      try {
        const { pid } = await c.client.call<{ pid: number }>(
          name,
          "Stock.Get",
          { ms: HANDLER_MS },
          { select: { filters: [keep] }, ...(idempotent === undefined ? {} : { idempotent }) },
        );
        f.byPid.set(pid, (f.byPid.get(pid) ?? 0) + 1);
      } catch (err) {
        f.failed++;
        f.errors.push(String(err));
      }
    }
  };
  const loops = Array.from({ length: CONCURRENCY }, caller);
  await sleep(LOAD_MS);
  await hit();
  await sleep(LOAD_MS);
  running = false;
  await Promise.all(loops);
  return f;
}

function report(what: string, f: Figures): void {
  console.log(
    `[node-loss] ${what}: ${f.calls} calls, ${f.failed} failed, concurrency ${CONCURRENCY}` +
      (f.errors.length ? ` (${[...new Set(f.errors)].join("; ")})` : ""),
  );
}

describe("one of three nodes lost under a closed-loop load (mdns, http transport)", () => {
  const name = uniqueName("node-loss");
  // six nodes of one service: each case calls three of them (a select filter), so a lost node
  // never needs replacing
  const procs: JsonLinesProcess[] = [];
  const ids: string[] = [];
  // the caller's warnings: each retry after a lost connection is one
  const warnings: string[] = [];
  const c = createService({
    name: uniqueName("node-loss.caller"),
    registry: "mdns",
    transport: "http",
    broker: "memory",
    address: "127.0.0.1:0",
    argv: [],
    env: {},
    flagValues: { mdns_interface: "127.0.0.1" },
    logger: createLogger({ level: "warn", write: (line) => void warnings.push(line) }),
  });

  beforeAll(async () => {
    for (let i = 0; i < 6; i++) procs.push(startNode(name, i));
    ids.push(...(await Promise.all(procs.map((p) => nodeId(p, name)))));
    const registry = (await c.stack()).registry;
    await eventually(async () => {
      const seen = (await registry.getService(name)).flatMap((s) => s.nodes.map((n) => n.id));
      expect(seen.sort()).toEqual([...ids].sort());
    }, 10_000);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop("SIGKILL")));
    await c.stop();
  });

  it("kill -9, calls marked idempotent: none fails (retried on another node)", async () => {
    const victim = procs[0]!;
    const f = await closedLoop(c, name, ids.slice(0, 3), true, () => victim.kill());
    report("kill -9, idempotent", f);
    await victim.exited;
    expect(f.byPid.get(victim.proc.pid!) ?? 0).toBeGreaterThan(0);
    expect(f.errors).toEqual([]);
    // the calls in flight on the killed node were retried, each once and elsewhere
    const retried = warnings.filter((l) => l.includes("lost its connection"));
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(f.calls).toBeGreaterThan(CONCURRENCY * 2);
  });

  it("kill -9, calls not marked: only those in flight on the node fail (go-micro's rule)", async () => {
    const victim = procs[1]!;
    const f = await closedLoop(c, name, ids.slice(1, 4), undefined, () => victim.kill());
    report("kill -9, not idempotent", f);
    await victim.exited;
    expect(f.byPid.get(victim.proc.pid!) ?? 0).toBeGreaterThan(0);
    expect(f.failed).toBeLessThanOrEqual(CONCURRENCY);
    for (const e of f.errors)
      expect(e).toMatch(/"id":"go\.micro\.client\.transport".*"detail":"(unexpected )?EOF"/);
  });

  it("SIGTERM, calls marked idempotent: none fails", async () => {
    const victim = procs[2]!;
    const f = await closedLoop(c, name, ids.slice(2, 5), true, () => void victim.stop("SIGTERM"));
    report("SIGTERM, idempotent", f);
    expect(await victim.exited).toBe(0);
    expect(f.byPid.get(victim.proc.pid!) ?? 0).toBeGreaterThan(0);
    expect(f.errors).toEqual([]);
  });

  it("SIGTERM, calls not marked: at most those racing the node's close fail", async () => {
    const victim = procs[3]!;
    const f = await closedLoop(c, name, ids.slice(3, 6), undefined, () => void victim.stop("SIGTERM"));
    report("SIGTERM, not idempotent", f);
    expect(await victim.exited).toBe(0);
    expect(f.byPid.get(victim.proc.pid!) ?? 0).toBeGreaterThan(0);
    expect(f.failed).toBeLessThanOrEqual(CONCURRENCY);
  });
});
