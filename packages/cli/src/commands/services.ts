// `micro services` / `micro list services`: every registered service with its versions and node count.

import type { Service } from "@micro/core";
import { mapLimit } from "@micro/core/internal";
import type { Command } from "../command.js";
import { registryName } from "../command.js";
import { table } from "../output.js";

// two etcd transactions' worth (the etcd registry batches lookups made together, 128 a
// transaction): etcd serves one while the other is decoded
const LOOKUPS_AT_ONCE = 256;

// go-micro's http broker registers each subscription as a node of the pseudo-service
// micro.http.broker whose "version" is the queue group, or ff.http.broadcast for a plain
// subscription (https://github.com/micro/go-micro/blob/v5.30.0/broker/http.go). go-micro's
// `micro services` lists it like any service; the table shows its versions as what they mean.
const HTTP_BROKER = "micro.http.broker";
const HTTP_BROADCAST = "ff.http.broadcast";

/** The VERSIONS cell: the versions, or for the http broker `broadcast` and `queue:<group>`. */
export function versionsCell(name: string, versions: readonly string[]): string {
  if (versions.length === 0) return "-";
  if (name !== HTTP_BROKER) return versions.join(",");
  return versions.map((v) => (v === HTTP_BROADCAST ? "broadcast" : `queue:${v}`)).join(",");
}

export const servicesCommand: Command = {
  names: [["services"], ["list", "services"], ["registry", "list"]],
  usage: "micro services [--output json]",
  summary: "List the services in the registry",
  options: [],
  async run(rt) {
    rt.io.progress(`listing services in ${registryName(rt)}…`);
    const registry = await rt.registry();
    const listed = await registry.listServices();
    // some registries list names only (etcd, consul): group by name and ask for details when nodes
    // are missing, a bounded number at a time (10 000 lookups at once would swamp the registry)
    const byName = new Map<string, Service[]>();
    for (const s of listed) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
    const names = [...byName.keys()].sort();
    const rows = await mapLimit(names, LOOKUPS_AT_ONCE, async (name) => {
      let versions = byName.get(name)!;
      if (versions.every((s) => !s.nodes?.length))
        versions = await registry.getService(name).catch(() => versions);
      return {
        name,
        versions: [...new Set(versions.map((s) => s.version ?? ""))].filter(Boolean).sort(),
        nodes: versions.reduce((n, s) => n + (s.nodes?.length ?? 0), 0),
      };
    });
    if (rt.format === "json") rt.io.out(JSON.stringify(rows));
    else if (rows.length === 0) rt.io.err("no services registered");
    else
      rt.io.out(
        table(
          ["NAME", "VERSIONS", "NODES"],
          rows.map((r) => [r.name, versionsCell(r.name, r.versions), String(r.nodes)]),
        ),
      );
    return 0;
  },
};
