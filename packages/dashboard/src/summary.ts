// What the home page shows of each service: its versions, its nodes, and how many of those are
// healthy. "Healthy" is deliberately simple and said on the page: a node the gateway's registry
// cache holds, i.e. one the gateway would route a call to. Nodes leave the registry when their
// service stops or stops renewing its registration; the dashboard never calls a service to check.
import type { Service } from "@micro/core";
import { mapLimit } from "@micro/core/internal";
import type { GatewayContext } from "@micro/gateway";

export interface ServiceSummary {
  name: string;
  versions: string[];
  nodes: number;
  healthy: number;
}

// lookups at once when listing: quick on a big registry without flooding a networked one
const CONCURRENCY = 8;

export async function serviceNames(ctx: GatewayContext): Promise<string[]> {
  const names = new Set((await ctx.registry.listServices()).map((s) => s.name).filter(Boolean));
  return [...names].sort(cmp);
}

/** Every service in the registry, sorted by name; a service whose lookup fails shows no nodes. */
export async function summaries(ctx: GatewayContext): Promise<ServiceSummary[]> {
  return mapLimit(
    await serviceNames(ctx),
    CONCURRENCY,
    async (name) => (await summaryOf(ctx, name)) ?? { name, versions: [], nodes: 0, healthy: 0 },
  );
}

/** Every version of every service (for pages that search all endpoints). */
export async function allServices(ctx: GatewayContext): Promise<Service[]> {
  const each = await mapLimit(await serviceNames(ctx), CONCURRENCY, (name) =>
    ctx.registry.getService(name).catch(() => [] as Service[]),
  );
  return each.flat();
}

/** One service's row; undefined when the registry no longer has it. */
export async function summaryOf(ctx: GatewayContext, name: string): Promise<ServiceSummary | undefined> {
  const versions: Service[] = await ctx.registry.getService(name).catch(() => []);
  if (versions.length === 0) return undefined;
  const cached = await ctx.cache.get(name).catch(() => [] as Service[]);
  const up = new Set(cached.flatMap((v) => v.nodes.map((n) => n.id)));
  const nodes = versions.flatMap((v) => v.nodes);
  return {
    name,
    versions: [...new Set(versions.map((v) => v.version ?? ""))].sort(cmp),
    nodes: nodes.length,
    healthy: nodes.filter((n) => up.has(n.id)).length,
  };
}

/** Code-unit order: the same everywhere, unlike localeCompare. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
