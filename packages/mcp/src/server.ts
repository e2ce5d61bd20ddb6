// The MCP server: one tool catalog following the registry, shared by every connection (a stdio
// client, or each Streamable HTTP session), and one SDK Server per connection answering tools/list
// and tools/call from it. A change of the catalog is announced to every connection with
// notifications/tools/list_changed.
import { type Client, getLogger, type Logger, MicroError, type Registry } from "@micro/core";
import { type Account, createRateLimiter, hasScope, type RateLimiter } from "@micro/gateway";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  type ListToolsResult,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import { type CallRequest, type CallSettings, callTool } from "./call.js";
import { ToolCatalog } from "./catalog.js";
import { type McpOptions, type ResolvedMcpOptions, resolveOptions } from "./options.js";
import { errorResult, MCP_ID } from "./results.js";
import type { ToolEntry } from "./tools.js";

export interface ConnectOptions {
  /**
   * Check each tool's scopes (endpoint metadata `scopes`) against the caller's account, as the
   * gateway does for its routes. On when an auth check admitted the connection; a stdio client is
   * the local user and is not checked.
   */
  enforceScopes?: boolean;
}

/** The account the HTTP route puts into the SDK's AuthInfo (see http.ts). */
export function accountOf(auth: AuthInfo | undefined): Account | undefined {
  return auth?.extra?.account as Account | undefined;
}

export class MicroMcpServer {
  readonly options: ResolvedMcpOptions;
  readonly #logger: Logger;
  readonly #limiter: RateLimiter | undefined;
  readonly #servers = new Set<Server>();
  readonly #started: Promise<{ catalog: ToolCatalog; settings: CallSettings }>;
  #catalog: ToolCatalog | undefined;
  #closed = false;

  constructor(options: McpOptions) {
    this.options = resolveOptions(options);
    this.#logger = options.logger ?? getLogger();
    const rl = this.options.toolRateLimit;
    this.#limiter = rl
      ? createRateLimiter({ rate: rl.rate, ...(rl.burst ? { burst: rl.burst } : {}) })
      : undefined;
    this.#started = this.#start(options);
    // a failure is reported to whoever awaits it (the first request), not as an unhandled rejection
    this.#started.catch(() => {});
  }

  async #start(o: McpOptions): Promise<{ catalog: ToolCatalog; settings: CallSettings }> {
    const client: Client | undefined = o.client ?? o.service?.client;
    const registry: Registry | undefined =
      o.registry ?? (o.service ? (await o.service.stack()).registry : undefined);
    if (!client || !registry) throw new Error("mcp: give it a service, or a client and a registry");
    if (this.#closed) throw new Error("mcp: closed");
    const catalog = new ToolCatalog(registry, {
      filters: this.options.filters,
      logger: this.#logger,
      debounce: this.options.debounce,
    });
    this.#catalog = catalog;
    catalog.onChange(() => {
      for (const s of this.#servers) s.sendToolListChanged().catch(() => {});
    });
    const { timeout, streamTimeout, maxStreamMessages } = this.options;
    return { catalog, settings: { client, timeout, streamTimeout, maxStreamMessages } };
  }

  /** The current tools, after the first registry read. */
  async tools(): Promise<readonly ToolEntry[]> {
    const { catalog } = await this.#started;
    await catalog.ready;
    return catalog.list();
  }

  /** Serves one MCP connection over `transport` until it closes. */
  async connect(transport: Transport, connect: ConnectOptions = {}): Promise<Server> {
    if (this.#closed) throw new Error("mcp: closed");
    const o = this.options;
    const server = new Server(
      { name: o.name, version: o.version },
      { capabilities: { tools: { listChanged: true } }, instructions: o.instructions },
    );
    server.setRequestHandler(ListToolsRequestSchema, (req) => this.#list(req.params?.cursor));
    server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
      const token = extra._meta?.progressToken;
      const account = accountOf(extra.authInfo);
      return this.#call(req.params.name, connect, account, {
        arguments: req.params.arguments,
        metadata: account ? { "Micro-Account": JSON.stringify(account) } : {},
        signal: extra.signal,
        ...(token !== undefined
          ? {
              progress: {
                token,
                send: (progress, message) =>
                  extra.sendNotification({
                    method: "notifications/progress",
                    params: { progressToken: token, progress, message },
                  }),
              },
            }
          : {}),
      });
    });
    const onclose = server.onclose;
    server.onclose = () => {
      this.#servers.delete(server);
      onclose?.();
    };
    this.#servers.add(server);
    await server.connect(transport);
    return server;
  }

  async #list(cursor: string | undefined): Promise<ListToolsResult> {
    const all = await this.tools();
    let start = 0;
    if (cursor !== undefined) {
      const after = Buffer.from(cursor, "base64url").toString("utf8");
      if (!after) throw new McpError(ErrorCode.InvalidParams, "invalid cursor");
      // names are sorted: the page starts after the last name sent, wherever the list has moved
      start = all.findIndex((t) => t.tool.name > after);
      if (start < 0) start = all.length;
    }
    const page = all.slice(start, start + this.options.pageSize);
    const last = page.at(-1);
    const more = start + page.length < all.length && last;
    return {
      tools: page.map((t) => t.tool),
      ...(more ? { nextCursor: Buffer.from(last.tool.name).toString("base64url") } : {}),
    };
  }

  async #call(
    name: string,
    connect: ConnectOptions,
    account: Account | undefined,
    req: CallRequest,
  ): Promise<CallToolResult> {
    const { catalog, settings } = await this.#started;
    await catalog.ready;
    const entry = catalog.get(name);
    // an unknown tool is the client's protocol error (MCP: -32602), not a tool result
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    if (connect.enforceScopes && !hasScope(account, entry.scopes)) {
      return errorResult(MicroError.forbidden(MCP_ID, `${name} needs scope ${entry.scopes.join(" or ")}`));
    }
    if (this.#limiter) {
      const taken = this.#limiter.take(name);
      if (!taken.ok) {
        const after = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
        return errorResult(new MicroError(MCP_ID, `too many calls of ${name}; retry in ${after}s`, 429));
      }
    }
    return callTool(settings, entry, req);
  }

  /** Closes every connection and stops following the registry. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#catalog?.close();
    await Promise.all([...this.#servers].map((s) => s.close().catch(() => {})));
    this.#servers.clear();
  }
}

export function createMcpServer(options: McpOptions = {}): MicroMcpServer {
  return new MicroMcpServer(options);
}
