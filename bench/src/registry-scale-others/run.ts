// Issue 19 for the other registries: at each N a holder process (holder.ts) registers N services
// (2 nodes, 3 endpoints each), and this process, another client, measures listServices (and one
// getService). NATS and Consul are the real servers; Kubernetes uses the package's stand-in API
// server (packages/registry-k8s/test/fake-apiserver.ts, loaded with Node's type stripping), run in
// the holder. From the repository root, after `pnpm -F @micro/bench run build`:
//   node bench/dist/registry-scale-others/run.js --registry=nats|consul|k8s [--sizes=1000,5000,10000]
//     [--reps=20] [--module=packages/registry-nats/dist/index.js] [--label=after] [--address=...]
//     [--compare=packages/registry-nats/dist-before/index.js --compare-label=before]
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { arg, defaultModule, type ScaleRegistry } from "./shape.js";

const kind = arg("registry", "nats");
const sizes = arg("sizes", "1000,5000,10000").split(",").map(Number);
const reps = Number(arg("reps", "20"));
const label = arg("label", "after");
const compare = arg("compare", "");
const compareLabel = arg("compare-label", "before");
const modulePath = arg("module", defaultModule[kind]!);
const address = arg("address", kind === "nats" ? "nats://127.0.0.1:4222" : "127.0.0.1:8500");
const holderPath = fileURLToPath(new URL("./holder.js", import.meta.url));

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function measure(n: number): Promise<void> {
  const child = spawn(
    process.execPath,
    [holderPath, `--registry=${kind}`, `--n=${n}`, `--module=${modulePath}`, `--address=${address}`],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const line = await new Promise<string>((ok, fail) => {
    child.once("exit", (code) => fail(new Error(`holder exited (${code})`)));
    createInterface({ input: child.stdout! }).once("line", ok);
  });
  const held = JSON.parse(line) as { registerMs: number; kubeconfig?: string };
  // with --compare, both builds list the same services in turn, so the machine's load hits both alike
  const runs = [
    { label, module: modulePath },
    ...(compare ? [{ label: compareLabel, module: compare }] : []),
  ];
  const measured: Measured[] = [];
  for (const run of runs)
    measured.push({ ...run, r: await open(run.module, held.kubeconfig), times: [], counts: [] });
  try {
    for (let i = 0; i <= reps; i++) {
      for (const m of measured) {
        if (m.error) continue;
        try {
          const t = performance.now();
          const listed = await m.r.listServices();
          const ms = performance.now() - t;
          if (i === 0) m.bytes = JSON.stringify(listed).length;
          else m.times.push(ms);
          m.counts.push(new Set(listed.map((s) => s.name).filter((x) => x.startsWith("scale-svc-"))).size);
        } catch (err) {
          m.error = String((err as Error).message).slice(0, 200);
        }
      }
    }
    for (const m of measured) {
      try {
        const t = performance.now();
        await m.r.getService("scale-svc-00042");
        m.getMs = performance.now() - t;
      } catch {}
    }
  } finally {
    for (const m of measured) await m.r.close();
    child.stdin!.end();
    await exited;
  }
  for (const m of measured) {
    const row = {
      registry: kind,
      label: m.label,
      n,
      registerMs: held.registerMs,
      p50: m.times.length ? +q(m.times, 50).toFixed(1) : null,
      p99: m.times.length ? +q(m.times, 99).toFixed(1) : null,
      namesMin: Math.min(...m.counts),
      namesMax: Math.max(...m.counts),
      // which listings (0 = the unmeasured first one) came back short
      short: m.counts.flatMap((c, i) => (c < n ? [`#${i}:${c}`] : [])).join(" "),
      listedJsonBytes: m.bytes ?? 0,
      getMs: +(m.getMs ?? Number.NaN).toFixed(1),
      load: loadavg()
        .map((x) => x.toFixed(2))
        .join(" "),
      error: m.error ?? "",
    };
    console.log(JSON.stringify(row));
  }
}

interface Measured {
  label: string;
  module: string;
  r: ScaleRegistry;
  times: number[];
  counts: number[];
  bytes?: number;
  getMs?: number;
  error?: string;
}

async function open(module: string, kubeconfig: string | undefined): Promise<ScaleRegistry> {
  const mod = (await import(pathToFileURL(resolve(module)).href)) as Record<string, any>;
  if (kind === "k8s") {
    const { KubeConfig } = (await import(
      pathToFileURL(resolve("packages/registry-k8s/node_modules/@kubernetes/client-node/dist/index.js")).href
    )) as { KubeConfig: any };
    const kc = new KubeConfig();
    const file = join(tmpdir(), `kubeconfig-${process.pid}.json`);
    writeFileSync(file, kubeconfig!);
    kc.loadFromFile(file);
    return new mod.KubernetesRegistry({ kubeConfig: kc, namespace: "default", timeout: 60_000 });
  }
  if (kind === "nats") return new mod.NatsRegistry({ addresses: [address] });
  return new mod.ConsulRegistry({ addresses: [address], timeout: 60_000 });
}

for (const n of sizes) await measure(n);
