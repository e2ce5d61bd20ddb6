import type { Node, Service } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";

/** A memory registry that counts lookups and can be made to fail, like a registry going away. */
export class CountingRegistry extends MemoryRegistry {
  gets = 0;
  failing: Error | undefined;
  delay = 0;

  override async getService(name: string): Promise<Service[]> {
    this.gets++;
    if (this.delay) await new Promise((r) => setTimeout(r, this.delay));
    if (this.failing) throw this.failing;
    return super.getService(name);
  }
}

export const node = (id: string, metadata: Record<string, string> = {}): Node => ({
  id,
  address: `127.0.0.1:${9000 + Number(id.replace(/\D/g, "") || 0)}`,
  metadata: { protocol: "mucp", ...metadata },
});

export const service = (name: string, version: string, nodes: Node[], endpoints: string[] = []): Service => ({
  name,
  version,
  endpoints: endpoints.map((e) => ({ name: e, metadata: {} })),
  nodes,
});

export const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** Retries `check` until it passes or 2 s pass. */
export async function eventually(check: () => void | Promise<void>): Promise<void> {
  const until = Date.now() + 2000;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
