// `micro services` / `micro list services`: every registered service with its versions and node count.
import type { Command } from "../command.js";
import { registryName } from "../command.js";
import { table } from "../output.js";

export const servicesCommand: Command = {
  names: [["services"], ["list", "services"], ["registry", "list"]],
  usage: "micro services [--output json]",
  summary: "List the services in the registry",
  options: [],
  async run(rt) {
    rt.io.progress(`listing services in ${registryName(rt)}…`);
    const { registry } = await rt.stack();
    const listed = await registry.listServices();
    // some registries list names only: group by name and ask for details when nodes are missing
    const names = [...new Set(listed.map((s) => s.name))].sort();
    const rows = await Promise.all(
      names.map(async (name) => {
        let versions = listed.filter((s) => s.name === name);
        if (versions.every((s) => !s.nodes?.length))
          versions = await registry.getService(name).catch(() => versions);
        return {
          name,
          versions: [...new Set(versions.map((s) => s.version ?? ""))].filter(Boolean).sort(),
          nodes: versions.reduce((n, s) => n + (s.nodes?.length ?? 0), 0),
        };
      }),
    );
    if (rt.format === "json") rt.io.out(JSON.stringify(rows));
    else if (rows.length === 0) rt.io.err("no services registered");
    else
      rt.io.out(
        table(
          ["NAME", "VERSIONS", "NODES"],
          rows.map((r) => [r.name, r.versions.join(",") || "-", String(r.nodes)]),
        ),
      );
    return 0;
  },
};
