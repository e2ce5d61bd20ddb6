// Two separate Node processes on this machine find each other over multicast on loopback, and a
// third (this test) sees both come and go.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type RegistryEvent, type Service, silentLogger } from "@micro/core";
import { afterAll, describe, expect, it } from "vitest";
import { MdnsRegistry } from "../src/registry.js";

const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));

interface Peer {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exit: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill();
});

function peer(me: string, other: string, port: number): Peer {
  const child = spawn(
    process.execPath,
    [
      "--disable-warning=ExperimentalWarning",
      "--import",
      fixture("ts-hooks.mjs"),
      fixture("peer.ts"),
      me,
      other,
      String(port),
    ],
    { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, MICRO_MDNS_INTERFACE: "127.0.0.1" } },
  );
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout! }).on("line", (l) => lines.push(JSON.parse(l)));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, lines, exit };
}

async function until<T>(get: () => T | undefined, what: string, timeout = 10_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("two processes", () => {
  it("discover each other on loopback and see each other leave", { timeout: 30_000 }, async () => {
    const tag = randomUUID().slice(0, 8);
    const [nameA, nameB] = [`peer-a-${tag}`, `peer-b-${tag}`];
    const observer = new MdnsRegistry({ interface: "127.0.0.1", logger: silentLogger });
    const events: RegistryEvent[] = [];
    const watcher = observer.watch();
    void (async () => {
      for await (const e of watcher) if (e.service.name.endsWith(tag)) events.push(e);
    })();
    await new Promise((r) => setTimeout(r, 200));

    const a = peer(nameA, nameB, 41001);
    const b = peer(nameB, nameA, 41002);
    const foundBy = (p: Peer) =>
      until(() => p.lines.find((l) => "found" in l)?.found as Service[] | undefined, "discovery");
    const [seenByA, seenByB] = await Promise.all([foundBy(a), foundBy(b)]);
    expect(seenByA[0]!.name).toBe(nameB);
    expect(seenByA[0]!.nodes).toEqual([
      { id: `${nameB}-${b.child.pid}`, address: "127.0.0.1:41002", metadata: { pid: String(b.child.pid) } },
    ]);
    expect(seenByA[0]!.endpoints).toEqual([{ name: "Peer.Ping", metadata: {} }]);
    expect(seenByB[0]!.nodes[0]!.id).toBe(`${nameA}-${a.child.pid}`);
    expect(seenByB[0]!.nodes[0]!.address).toBe("127.0.0.1:41001");

    // the observer in this process sees both, by query and by announcement
    expect((await observer.getService(nameA))[0]?.nodes.map((n) => n.id)).toEqual([
      `${nameA}-${a.child.pid}`,
    ]);
    const names = (await observer.listServices()).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining([nameA, nameB]));
    await until(
      () => (events.filter((e) => e.action === "create").length >= 2 ? true : undefined),
      "two creates",
    );

    a.child.stdin!.end();
    b.child.stdin!.end();
    expect(await a.exit).toBe(0);
    expect(await b.exit).toBe(0);
    await until(
      () => (events.filter((e) => e.action === "delete").length >= 2 ? true : undefined),
      "two goodbyes",
    );
    expect(await observer.getService(nameA)).toEqual([]);
    watcher.stop();
    await observer.close();
  });
});
