// Both directions with real go-micro v5.30.0 code (the interop/ binaries): a Go server registers in
// Consul and we read it; we register and Go's consul registry reads our record.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Service } from "@micro/core";
import { parseService } from "@micro/core/plugin-kit";
import { afterEach, describe, expect, it } from "vitest";
import { ConsulRegistry } from "../src/index.js";
import { CONSUL_ADDR, describeWithServer } from "./servers.js";
import { greeter } from "./vectors.js";

const bin = (name: string) => fileURLToPath(new URL(`../../../interop/bin/${name}`, import.meta.url));
const haveGo = existsSync(bin("peer")) && existsSync(bin("capture"));
const goFlags = ["--registry", "consul", "--registry_address", CONSUL_ADDR];

/** Starts the Go peer server and resolves its `ready` line. */
async function goServer(
  name: string,
): Promise<{ child: ChildProcess; ready: { id: string; address: string } }> {
  const child = spawn(bin("peer"), ["server", "--name", name, ...goFlags], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ id: string; address: string }>((resolve, reject) => {
    lines.on("line", (l) => {
      const v = JSON.parse(l);
      if (v.ready) resolve(v);
    });
    child.once("exit", (code) => reject(new Error(`peer exited ${code}`)));
  });
  return { child, ready };
}

describeWithServer("consul", "consul registry and go-micro v5.30.0", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGTERM");
  });

  describe.skipIf(!haveGo)(
    `with interop/bin${haveGo ? "" : " [skipped: run interop/build.sh first]"}`,
    () => {
      it("reads what a Go server registered, and sees it leave", async () => {
        const name = `greeter.go.${randomUUID().slice(0, 8)}`;
        const reg = new ConsulRegistry({ addresses: [CONSUL_ADDR] });
        const w = reg.watch({ service: name });
        await new Promise((r) => setTimeout(r, 300));
        const { child, ready } = await goServer(name);
        children.push(child);
        const [s] = await reg.getService(name);
        expect(s).toMatchObject({ name, version: "latest" });
        expect(s!.nodes).toEqual([
          {
            id: ready.id,
            address: ready.address,
            metadata: {
              broker: "http",
              protocol: "mucp",
              registry: "consul",
              server: "mucp",
              transport: "http",
            },
          },
        ]);
        // the handler's methods, plus one `Func` endpoint per subscriber (go-micro's subscriber records)
        expect(s!.endpoints.map((e) => e.name)).toEqual(
          expect.arrayContaining([
            "Greeter.BidiStream",
            "Greeter.Fail",
            "Greeter.Hello",
            "Greeter.ServerStream",
            "Greeter.Slow",
          ]),
        );
        // Go's own reading of the same entry
        const { stdout } = await promisify(execFile)(bin("capture"), [
          "registry",
          "--service",
          name,
          ...goFlags,
        ]);
        const goView = (JSON.parse(stdout) as unknown[]).map((x) => parseService(x));
        expect(s!.endpoints).toEqual(goView[0]!.endpoints);
        expect((await w.next()).action).toBe("create");
        child.kill("SIGTERM"); // go-micro deregisters on the way out
        expect(await w.next()).toMatchObject({ action: "delete", service: { nodes: [{ id: ready.id }] } });
        w.stop();
        await reg.close();
      });

      it("registers a record Go's consul registry reads back identically", async () => {
        const name = `greeter.ts.${randomUUID().slice(0, 8)}`;
        const ours: Service = {
          ...greeter,
          name,
          nodes: [
            {
              ...greeter.nodes[0]!,
              id: `${name}-1`,
              metadata: { ...greeter.nodes[0]!.metadata, registry: "consul" },
            },
          ],
        };
        const reg = new ConsulRegistry({ addresses: [CONSUL_ADDR] });
        await reg.register(ours, { ttl: 60_000 });
        try {
          const { stdout } = await promisify(execFile)(bin("capture"), [
            "registry",
            "--service",
            name,
            ...goFlags,
          ]);
          const goView = JSON.parse(stdout) as unknown[];
          expect(goView).toHaveLength(1);
          expect(parseService(goView[0])).toEqual(ours);
        } finally {
          await reg.deregister(ours);
          await reg.close();
        }
      });
    },
  );
});
