// Section 3: the registry down under load, back with its data and with an empty data dir.
import type { RegistryFigures } from "../results.js";
import { causes, met, ms, n, table } from "./markdown.js";

export function renderRegistry(list: RegistryFigures[]): string {
  const notes = [...new Set(list.map((g) => g.note).filter(Boolean))].map((x) => `- ${x}`);
  return [
    "### 3. Registry down under load",
    "",
    "Three nodes and the load as above, on etcd, Consul (a single server keeping its state in its data dir) and the NATS registry, each our own instance. The registry is stopped, kept down, then started with its data or with an empty data dir. Nodes register with core's defaults (`--register_ttl` 60 s, `--register_interval` 30 s). _Re-registered_ is the time from the registry answering again (its readiness probe) until a fresh registry client lists every node (polled every ~0.1 s).",
    "",
    !list.length
      ? "_not run_"
      : table(
          [
            "registry",
            "back with",
            "down",
            "calls",
            "failed",
            "failed by error",
            "re-registered",
            "calls goal",
            "",
            "re-registration goal",
            "",
          ],
          list.map((g) => [
            g.registry,
            g.restart,
            ms(g.downMs),
            n(g.load.calls),
            n(g.load.failed),
            causes(g.load.errors),
            g.reregisteredMs === null ? `not within ${ms(g.waitedMs)}` : ms(g.reregisteredMs),
            g.goalCalls.text,
            met(g.goalCalls.met),
            g.goalRegistered.text,
            met(g.goalRegistered.met),
          ]),
        ),
    ...(notes.length ? ["", ...notes] : []),
  ].join("\n");
}
