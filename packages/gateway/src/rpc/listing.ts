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
      const endpoints = [...new Set(versions.flatMap((v) => v.endpoints.map((e) => e.name)))];
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
