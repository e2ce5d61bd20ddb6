// `services` and `get`: what this side's registry sees (discovery cells of the matrix).
import { createService } from "@micro/core";
import { emit, flag } from "./args.js";

export async function runRegistry(mode: string, argv: readonly string[]): Promise<void> {
  const svc = createService({ name: "peer.ts.registry" });
  const { registry } = await svc.stack();
  // mdns answers arrive within the query window; ask a few times so a slow responder is not missed
  if (mode === "services") {
    const names = new Set<string>();
    for (let i = 0; i < 3; i++) for (const s of await registry.listServices()) names.add(s.name);
    emit({ services: [...names].sort() });
  } else {
    const name = flag(argv, "service", "greeter.go")!;
    let found = await registry.getService(name);
    for (let i = 0; i < 5 && found.length === 0; i++) found = await registry.getService(name);
    emit({ service: found });
  }
  await svc.stop();
}
