// The Streamable HTTP transport (MCP 2025-11-25) on one path: POST carries client messages (answered
// as JSON or as an SSE stream when progress comes first), GET opens the stream for server-initiated
// messages (notifications/tools/list_changed), DELETE ends a session. Each session is one SDK
// transport and one MCP server connection, kept here by its Mcp-Session-Id; a session belongs to the
// account that opened it, ends after sessionIdleMs without a request, and there are at most
// maxSessions at once (a client that never says DELETE must not hold memory forever).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Account, readBody } from "@micro/gateway";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { MicroMcpServer } from "./server.js";

export interface SessionLimits {
  /** Sessions open at once (default 1000); an initialize beyond it is answered 503. */
  maxSessions?: number;
  /** ms without a request (and no open stream) after which a session is closed (default 30 min). */
  sessionIdleMs?: number;
}

/** What the route learnt about one HTTP request before it reached the transport. */
export interface HttpCaller {
  /** The account the auth check returned; undefined when auth is off. */
  account: Account | undefined;
  /** The bearer token it was given (AuthInfo.token). */
  token: string | undefined;
  /** An auth check admitted the request: tools check their scopes against the account. */
  enforceScopes: boolean;
  /** A browser page of this origin may call (Origin checked against CORS, else same host only). */
  allowsOrigin(req: IncomingMessage): boolean;
  /** Host names (no port) the Host header may name; any when undefined (DNS rebinding guard). */
  allowedHosts: readonly string[] | undefined;
  maxBodyBytes: number;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  owner: string | undefined;
  lastSeen: number;
  /** Requests and streams of the session still open. */
  active: number;
}

export class StreamableHttpSessions {
  readonly #mcp: MicroMcpServer;
  readonly #max: number;
  readonly #idleMs: number;
  readonly #sessions = new Map<string, Session>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(mcp: MicroMcpServer, limits: SessionLimits = {}) {
    this.#mcp = mcp;
    this.#max = limits.maxSessions ?? 1000;
    this.#idleMs = limits.sessionIdleMs ?? 30 * 60_000;
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(this.#idleMs, 60_000));
    this.#sweeper.unref();
  }

  get size(): number {
    return this.#sessions.size;
  }

  async handle(req: IncomingMessage, res: ServerResponse, caller: HttpCaller): Promise<void> {
    if (caller.allowedHosts && !caller.allowedHosts.includes(hostName(req.headers.host))) {
      return refuse(res, 403, `host ${req.headers.host ?? "(none)"} not allowed`);
    }
    // MCP requires the Origin check: a web page must not drive tools through the user's browser
    if (!caller.allowsOrigin(req)) return refuse(res, 403, `origin ${req.headers.origin} not allowed`);
    let body: unknown;
    if (req.method === "POST") {
      let raw: Buffer;
      try {
        raw = await readBody(req, caller.maxBodyBytes);
      } catch (err) {
        return refuse(res, 413, (err as Error).message);
      }
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return refuse(res, 400, "Parse error: the body is not JSON", -32700);
      }
    }
    const owner = caller.account?.id;
    const id = req.headers["mcp-session-id"];
    if (typeof id === "string") {
      const s = this.#sessions.get(id);
      if (!s) return refuse(res, 404, "Session not found", -32001);
      if (s.owner !== owner) return refuse(res, 403, "the session belongs to another account");
      return this.#serve(s, req, res, body, caller);
    }
    if (req.method === "POST" && isInitialize(body)) return this.#open(req, res, body, caller);
    return refuse(res, 400, "Bad Request: no valid Mcp-Session-Id; start with initialize");
  }

  async #open(req: IncomingMessage, res: ServerResponse, body: unknown, caller: HttpCaller): Promise<void> {
    if (this.#sessions.size >= this.#max) return refuse(res, 503, "too many MCP sessions; try again later");
    const session: Session = {
      transport: undefined as unknown as StreamableHTTPServerTransport,
      owner: caller.account?.id,
      lastSeen: Date.now(),
      active: 0,
    };
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.#sessions.set(id, session);
      },
      onsessionclosed: (id) => {
        this.#sessions.delete(id);
      },
    });
    session.transport = transport;
    transport.onclose = () => {
      if (transport.sessionId) this.#sessions.delete(transport.sessionId);
    };
    await this.#mcp.connect(transport, { enforceScopes: caller.enforceScopes });
    await this.#serve(session, req, res, body, caller);
    // an initialize the transport refused leaves no session behind
    if (!transport.sessionId || !this.#sessions.has(transport.sessionId)) await transport.close();
  }

  async #serve(
    s: Session,
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    caller: HttpCaller,
  ): Promise<void> {
    s.active++;
    s.lastSeen = Date.now();
    res.once("close", () => {
      s.active--;
      s.lastSeen = Date.now();
    });
    if (caller.account) {
      const auth: AuthInfo = {
        token: caller.token ?? "",
        clientId: caller.account.id,
        scopes: caller.account.scopes,
        extra: { account: caller.account },
      };
      (req as IncomingMessage & { auth?: AuthInfo }).auth = auth;
    }
    await s.transport.handleRequest(req, res, body);
  }

  #sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.#sessions) {
      if (s.active > 0 || now - s.lastSeen < this.#idleMs) continue;
      this.#sessions.delete(id);
      void s.transport.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    const open = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(open.map((s) => s.transport.close().catch(() => {})));
  }
}

function isInitialize(body: unknown): boolean {
  return Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body);
}

/** The host name of a Host header, without the port, lower-cased ("[::1]" for IPv6). */
export function hostName(host: string | undefined): string {
  if (!host) return "";
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  const colon = h.lastIndexOf(":");
  return colon < 0 ? h : h.slice(0, colon);
}

/** A JSON-RPC error answer, as the SDK's transport writes its own refusals. */
function refuse(res: ServerResponse, status: number, message: string, code = -32000): void {
  const text = JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null });
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
