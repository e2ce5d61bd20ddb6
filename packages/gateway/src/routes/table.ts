// The route table: exact paths in a map, prefixes in order. The built-in routes are plain
// GatewayRoutes too, so the sidecar and the dashboard mount the same way.
import type { GatewayRoute } from "../options.js";

export class RouteTable {
  readonly #exact = new Map<string, GatewayRoute>();
  readonly #prefixes: GatewayRoute[] = [];

  add(route: GatewayRoute): this {
    if (route.path.endsWith("/") && route.path !== "/") this.#prefixes.push(route);
    else this.#exact.set(route.path, route);
    return this;
  }

  /** The exact route, else the longest prefix; `fallback` for anything else. */
  find(path: string, fallback?: GatewayRoute): GatewayRoute | undefined {
    const exact = this.#exact.get(path);
    if (exact) return exact;
    let best: GatewayRoute | undefined;
    for (const r of this.#prefixes) {
      if (path.startsWith(r.path) && (!best || r.path.length > best.path.length)) best = r;
    }
    return best ?? fallback;
  }
}
