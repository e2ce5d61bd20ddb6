// `micro registry watch [service]`: one line per registry event until Ctrl-C or SIGTERM.
import type { RegistryEvent } from "@micro/core";
import { toGoService } from "@micro/core/plugin-kit";
import type { Command } from "../command.js";
import { registryName } from "../command.js";

function line(ev: RegistryEvent): string {
  const s = ev.service;
  const time = new Date().toISOString().slice(11, 23);
  const nodes = (s.nodes ?? []).map((n) => `${n.id}@${n.address}`).join(" ");
  return `${time}  ${ev.action.padEnd(6)}  ${s.name}  ${s.version || "-"}  ${nodes}`.trimEnd();
}

export const watchCommand: Command = {
  names: [["registry", "watch"], ["watch"]],
  usage: "micro registry watch [service] [--output json]",
  summary: "Print registry events (create/update/delete) as they happen, until Ctrl-C",
  options: [],
  async run(rt) {
    const [service] = rt.args.positionals;
    const registry = await rt.registry();
    const watcher = registry.watch(service ? { service } : {});
    rt.signal.addEventListener("abort", () => watcher.stop(), { once: true });
    // always said (on stderr): a script waits for this line before it changes the registry
    rt.io.err(`watching ${service ?? "all services"} in ${registryName(rt)}; Ctrl-C to stop`);
    try {
      for await (const ev of watcher) {
        rt.io.out(
          rt.format === "json"
            ? JSON.stringify({ action: ev.action, service: toGoService(ev.service) })
            : line(ev),
        );
        if (rt.signal.aborted) break;
      }
    } catch (err) {
      // a stopped watcher may reject: that is how Ctrl-C ends the loop; anything else is a failure
      if (!rt.signal.aborted) throw err;
    }
    return 0;
  },
};
