// The tool list, following the registry: rebuilt on every registry update, and its listeners told
// only when the list an agent would see has really changed (a node joining an existing service
// changes nothing an agent reads, so it sends no notifications/tools/list_changed).
import type { Logger, Registry } from "@micro/core";
import { LiveServices } from "@micro/gateway";
import { compileFilters, type ToolFilters } from "./filters.js";
import { buildTools, type ToolEntry } from "./tools.js";

export interface CatalogOptions {
  filters?: ToolFilters;
  logger: Logger;
  debounce?: number;
}

export class ToolCatalog {
  readonly #view: LiveServices;
  readonly #logger: Logger;
  #tools: readonly ToolEntry[] = [];
  #byName = new Map<string, ToolEntry>();
  #text = "";
  readonly #listeners = new Set<() => void>();

  constructor(registry: Registry, options: CatalogOptions) {
    // a bad pattern fails here, when the server is created, not at the first registry event
    const keep = compileFilters(options.filters);
    this.#logger = options.logger;
    // the view's warnings (a registry that fails keeps the last tool list) read "mcp: ..."
    this.#view = new LiveServices(registry, {
      logger: options.logger,
      ...(options.debounce !== undefined ? { debounce: options.debounce } : {}),
      label: "mcp",
      whileAway: "keeping the last tool list",
      onChange: (services) => {
        try {
          this.#update(buildTools(services, keep), services.size);
        } catch (err) {
          this.#view.warn("cannot build the tool list; keeping the last one", err);
        }
      },
    });
  }

  #update({ tools, skipped }: ReturnType<typeof buildTools>, services: number): void {
    const text = JSON.stringify(tools.map((t) => t.tool));
    if (text === this.#text) return;
    this.#text = text;
    this.#tools = tools;
    this.#byName = new Map(tools.map((t) => [t.tool.name, t]));
    if (this.#logger.isLevelEnabled?.("debug") !== false) {
      this.#logger.debug(`mcp: ${tools.length} tools from ${services} services`);
      for (const s of skipped) this.#logger.debug(`mcp: ${s.service} ${s.endpoint} is no tool: ${s.reason}`);
    }
    for (const fn of this.#listeners) {
      try {
        fn();
      } catch (err) {
        this.#logger.warn(`mcp: tool list listener failed: ${err instanceof Error ? err.message : err}`);
      }
    }
  }

  /** Resolves after the first registry read (or its first failure). */
  get ready(): Promise<void> {
    return this.#view.ready;
  }

  /** The tools, sorted by name; the array is replaced, never changed, on updates. */
  list(): readonly ToolEntry[] {
    return this.#tools;
  }

  get(name: string): ToolEntry | undefined {
    return this.#byName.get(name);
  }

  /** Calls `fn` after each change of the list; returns the unsubscribe function. */
  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  close(): void {
    this.#listeners.clear();
    this.#view.close();
  }
}
