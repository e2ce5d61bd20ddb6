// A minimal Consul HTTP API client on fetch (undici's, so a CA or client certificate can be given):
// JSON in and out, the ACL token header, a per-request timeout, and failover across agent addresses.
//
// Connections: Consul refuses more than 200 concurrent connections from one client address
// (limits.http_max_conns_per_client: HTTP 429, "Your IP is issuing too many concurrent
// connections"), and every process on a host shares that budget with the local agent. Ordinary
// requests therefore share a small pool (`maxConnections`, default 16) and queue beyond it; only
// blocking watch queries, which hold their connection for minutes, get one each (as go-micro's).
import { Agent, fetch } from "undici";
import type { ResolvedOptions } from "./options.js";

export class ConsulHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly url: string,
  ) {
    super(`consul ${url}: HTTP ${status}${body ? `: ${body.trim()}` : ""}`);
    this.name = "ConsulHttpError";
  }
}

export interface ConsulResponse<T> {
  body: T;
  /** X-Consul-Index: the raft index a blocking query waits past. */
  index: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Override the per-request timeout (blocking queries wait longer). */
  timeout?: number;
  /** A blocking query: it gets a connection of its own instead of waiting for one of the pool. */
  blocking?: boolean;
  signal?: AbortSignal;
}

export class ConsulHttp {
  readonly #o: ResolvedOptions;
  readonly #agent: Agent;
  readonly #blocking: Agent;
  // the address that answered last; tried first next time
  #current = 0;

  constructor(options: ResolvedOptions) {
    this.#o = options;
    this.#agent = ConsulHttp.#makeAgent(options, options.maxConnections);
    this.#blocking = ConsulHttp.#makeAgent(options, undefined);
  }

  static #makeAgent(options: ResolvedOptions, connections: number | undefined): Agent {
    const tls = options.tls;
    return new Agent({
      // blocking queries hold the response up to `wait` (+ Consul's wait/16 jitter); our own timer ends them
      headersTimeout: 0,
      bodyTimeout: 0,
      ...(connections ? { connections } : {}),
      ...(tls
        ? {
            connect: {
              ca: tls.ca,
              cert: tls.cert,
              key: tls.key,
              servername: tls.servername,
              rejectUnauthorized: !tls.insecureSkipVerify,
            },
          }
        : {}),
    });
  }

  get token(): string | undefined {
    return this.#o.token;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ConsulResponse<T>> {
    const urls = this.#o.baseUrls;
    let lastErr: unknown;
    for (let i = 0; i < urls.length; i++) {
      const at = (this.#current + i) % urls.length;
      try {
        const res = await this.#once<T>(urls[at]!, method, path, options);
        this.#current = at;
        return res;
      } catch (err) {
        // an HTTP answer is the agent's verdict; only unreachable agents make us try the next one
        if (err instanceof ConsulHttpError || options.signal?.aborted) throw err;
        lastErr = err;
      }
    }
    throw lastErr;
  }

  async #once<T>(base: string, method: string, path: string, o: RequestOptions): Promise<ConsulResponse<T>> {
    const url = new URL(path, base);
    const query = { ...o.query };
    if (this.#o.datacenter) query.dc ??= this.#o.datacenter;
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === false) continue;
      url.searchParams.set(k, v === true ? "" : String(v));
    }
    const headers: Record<string, string> = {};
    // Consul gzips when asked (fetch asks by default): worth it across a network, not from the local
    // agent, where compressing a 12 MB catalog answer costs more than sending it (issue 19)
    if (isLoopback(url.hostname)) headers["Accept-Encoding"] = "identity";
    if (this.#o.token) headers["X-Consul-Token"] = this.#o.token;
    if (o.body !== undefined) headers["Content-Type"] = "application/json";
    const timeout = AbortSignal.timeout(o.timeout ?? this.#o.timeout);
    const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
    let res: Awaited<ReturnType<typeof fetch>>;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        signal,
        dispatcher: o.blocking ? this.#blocking : this.#agent,
      });
    } catch (err) {
      throw describe(err, url, timeout.aborted);
    }
    const text = await res.text();
    if (!res.ok) throw new ConsulHttpError(res.status, text, `${method} ${url.pathname}`);
    const index = Number(res.headers.get("x-consul-index") ?? 0);
    return { body: (text ? JSON.parse(text) : undefined) as T, index: Number.isFinite(index) ? index : 0 };
  }

  async close(): Promise<void> {
    await Promise.all([this.#agent.close(), this.#blocking.close()]);
  }
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

// fetch says only "fetch failed"; name the agent and the real cause so logs are useful
function describe(err: unknown, url: URL, timedOut: boolean): Error {
  if (timedOut) return new Error(`consul ${url.origin}: request timed out`, { cause: err });
  if ((err as Error)?.name === "AbortError") return err as Error;
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const why = cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err);
  return new Error(`consul ${url.origin} unreachable: ${why}`, { cause: err });
}
