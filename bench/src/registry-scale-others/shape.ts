// The service shape of ../registry-scale/shape.ts (2 nodes, 3 endpoints with schemas, ~1.3 KB a
// node record), for the NATS, Consul and Kubernetes registries. Registries are loaded by path
// (`--module`, relative to the repository root), so the same script measures an older build too.

export { type ScaleRegistry, type Service, scaleService } from "../registry-scale/shape.js";

export const arg = (name: string, dflt: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;

export const defaultModule: Record<string, string> = {
  nats: "packages/registry-nats/dist/index.js",
  consul: "packages/registry-consul/dist/index.js",
  k8s: "packages/registry-k8s/dist/index.js",
};
