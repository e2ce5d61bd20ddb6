// The service listing and description, in the shapes of go-micro v5's `micro api` (`/` and
// `/{service}`), so scripts written for it read ours.
import { MicroError, type Registry } from "@micro/core";
import { GATEWAY_ID } from "../http/errors.js";

export interface ServiceListing {
  name: string;
  endpoints?: string[];
}

export async function listServices(registry: Registry): Promise<ServiceListing[]> {
  const names = [...new Set((await registry.listServices()).map((s) => s.name))].sort();
  return Promise.all(
    names.map(async (name) => {
      const versions = await registry.getService(name).catch(() => []);
      // go-micro lists the first version's endpoints as they are (two subscribers both named
      // "Func" stay two); other versions add only the names it lacks
      const endpoints = versions[0]?.endpoints.map((e) => e.name) ?? [];
      const seen = new Set(endpoints);
      for (const e of versions.slice(1).flatMap((v) => v.endpoints)) {
        if (!seen.has(e.name)) {
          seen.add(e.name);
          endpoints.push(e.name);
        }
      }
      return endpoints.length ? { name, endpoints } : { name };
    }),
  );
}

export async function describeService(registry: Registry, name: string) {
  const versions = await registry.getService(name);
  const svc = versions[0];
  if (!svc) throw MicroError.notFound(GATEWAY_ID, `service not found: ${name}`);
  return {
    name: svc.name,
    version: svc.version,
    endpoints: svc.endpoints.map((e) =>
      Object.keys(e.metadata).length ? { name: e.name, metadata: e.metadata } : { name: e.name },
    ),
    nodes: versions.reduce((n, v) => n + v.nodes.length, 0),
  };
}
