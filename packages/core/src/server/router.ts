// Handler objects become endpoints named go-micro's way: `Handler.Method`, method capitalized.
import { MicroErrorCode, PluginError } from "../plugin/plugin-error.js";
import type { Endpoint } from "../registry.js";
import { handlerEndpoint } from "./endpoints.js";
import type { EndpointOptions, HandlerFunc, HandlerOptions, StreamKind } from "./types.js";

export interface Route {
  name: string;
  fn: HandlerFunc;
  stream?: StreamKind;
  options: EndpointOptions;
  endpoint: Endpoint;
  internal: boolean;
}

const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor;

function methodsOf(impl: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = impl; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (k === "constructor" || k.startsWith("_") || k.startsWith("#")) continue;
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (d && typeof d.value === "function") names.add(k);
    }
  }
  return [...names];
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export class Router {
  readonly #routes = new Map<string, Route>();
  readonly #handlers = new Set<string>();

  add(handlerName: string, impl: object, options: HandlerOptions = {}): Route[] {
    if (!/^[A-Za-z_][\w]*$/.test(handlerName)) {
      throw new PluginError(
        MicroErrorCode.InvalidHandler,
        `handler name "${handlerName}" must be an identifier like "Greeter"`,
      );
    }
    if (this.#handlers.has(handlerName)) {
      throw new PluginError(MicroErrorCode.InvalidHandler, `handler "${handlerName}" is already registered`);
    }
    const added: Route[] = [];
    for (const method of methodsOf(impl)) {
      const fn = (impl as Record<string, HandlerFunc>)[method]!;
      const opts = options.endpoints?.[method] ?? options.endpoints?.[capitalize(method)] ?? {};
      const stream = opts.stream ?? (fn instanceof AsyncGeneratorFunction ? "server" : undefined);
      const name = `${handlerName}.${capitalize(method)}`;
      const route: Route = {
        name,
        fn: fn.bind(impl),
        options: opts,
        endpoint: handlerEndpoint(name, opts, stream),
        internal: !!options.internal,
      };
      if (stream) route.stream = stream;
      added.push(route);
    }
    if (added.length === 0) {
      throw new PluginError(MicroErrorCode.InvalidHandler, `handler "${handlerName}" has no methods`);
    }
    for (const r of added) this.#routes.set(r.name, r);
    this.#handlers.add(handlerName);
    return added;
  }

  get(endpoint: string): Route | undefined {
    return this.#routes.get(endpoint);
  }

  /** go-micro orders endpoints by handler name. */
  endpoints(): Endpoint[] {
    return [...this.#routes.values()]
      .filter((r) => !r.internal)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((r) => r.endpoint);
  }
}
