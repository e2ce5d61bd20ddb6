// Holds N services in one process (what issue 19 measured: one process answering for all of them)
// until its stdin closes, then removes them (NATS: through the registry; Consul: in the catalog). Prints one JSON line once they are registered:
// { registerMs, kubeconfig? }. For k8s it also runs the package's stand-in API server (there is no
// real one here): 2 pods per service (one per node), labelled and annotated as the registry does.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { mapLimit } from "@micro/core/internal";
import { arg, type ScaleRegistry, scaleService } from "./shape.js";

const kind = arg("registry", "nats");
const n = Number(arg("n", "1000"));
const address = arg("address", "");
const module = pathToFileURL(resolve(arg("module", ""))).href;
const services = Array.from({ length: n }, (_, i) => scaleService(i, kind));
const started = performance.now();
let stop: () => Promise<void>;
let extra: Record<string, unknown> = {};

if (kind === "k8s") {
  const fakeUrl = pathToFileURL(resolve("packages/registry-k8s/test/fake-apiserver.ts")).href;
  const { FakeApiServer } = (await import(fakeUrl)) as { FakeApiServer: any };
  const { registerPatch } = (await import(module)) as { registerPatch: (s: Service) => any };
  type Service = (typeof services)[number];
  const api = await new FakeApiServer().start();
  for (const s of services) {
    for (const node of s.nodes) {
      const patch = registerPatch({ ...s, nodes: [node] });
      api.addPod("default", node.id, { labels: patch.metadata.labels });
      api.annotate("default", node.id, patch.metadata.annotations);
    }
  }
  extra = { kubeconfig: api.kubeconfig() };
  stop = () => api.stop();
} else if (kind === "consul") {
  // Straight into the catalog (PUT /v1/catalog/register) with the registry's own records (tags):
  // one agent holding 20,000 instances is not what a mesh looks like, and an agent's registration
  // slows down with every service it holds, so registering them
  // through one agent would take tens of minutes here. The catalog, what listServices reads, is the same.
  const { registration } = (await import(module)) as {
    registration: (s: object, i: number, ttl: number) => any;
  };
  const base = `http://${address}`;
  const hosts = new Set<string>();
  const put = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: "PUT", body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  };
  const writes = services.flatMap((s, i) =>
    s.nodes.map((_, n) => {
      const node = `scale-host-${(i * 2 + n) % 200}`;
      hosts.add(node);
      const r = registration(s, n, 0);
      return {
        Node: node,
        Address: "127.0.0.1",
        SkipNodeUpdate: true,
        Service: { ID: r.ID, Service: r.Name, Tags: r.Tags, Address: r.Address, Port: r.Port, Meta: r.Meta },
      };
    }),
  );
  await mapLimit(writes, 16, (w) => put("/v1/catalog/register", w));
  stop = async () => {
    await mapLimit([...hosts], 8, (Node) => put("/v1/catalog/deregister", { Node }));
  };
} else {
  const mod = (await import(module)) as Record<string, new (o: object) => ScaleRegistry>;
  const Ctor = mod.NatsRegistry!;
  const r = new Ctor({ addresses: [address], logger: { warn() {}, debug() {}, info() {}, error() {} } });
  await mapLimit(services, 500, (s) => r.register(s));
  stop = () => r.close();
}
process.stdout.write(
  `${JSON.stringify({ registerMs: Math.round(performance.now() - started), ...extra })}\n`,
);
process.stdin.resume();
process.stdin.on("end", () => {
  void stop().then(() => process.exit(0));
});
