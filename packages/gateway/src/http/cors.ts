// CORS for browser callers of the gateway. Runs before routing: it answers preflights itself and
// decorates every other response, so handlers never think about origins.
import type { IncomingMessage, ServerResponse } from "node:http";

export interface CorsOptions {
  /** Exact origins ("https://app.example.com"), "*" for any, or "https://*.example.com" for subdomains. */
  origins: string[];
  /** Let browsers send cookies / Authorization. Then the allowed origin is echoed, never "*". */
  credentials?: boolean;
  /** Default GET, HEAD, POST, PUT, PATCH, DELETE; "*" allows whatever is asked. */
  methods?: string[];
  /** Request headers allowed. Default Accept, Authorization, Content-Type; "*" allows whatever is asked. */
  headers?: string[];
  /** Response headers scripts may read. Default Micro-Id and Retry-After. */
  exposeHeaders?: string[];
  /** How long browsers may cache a preflight. Default 600. */
  maxAgeSec?: number;
}

export interface Cors {
  /** Sets the CORS headers; answers a preflight itself, and then says so. */
  (req: IncomingMessage, res: ServerResponse): "preflight" | "continue";
  /**
   * For WebSocket upgrades, which CORS does not cover: browsers always send Origin there and always
   * send cookies, so the gateway must refuse foreign pages itself. No Origin (not a browser) and the
   * gateway's own origin (its Host) pass.
   */
  allowsOrigin(req: IncomingMessage): boolean;
}

const DEFAULT_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
const DEFAULT_HEADERS = ["Accept", "Authorization", "Content-Type"];
// go-micro's gateway names the answering service in Micro-Id; errors travel in the body, so
// Micro-Error need not be exposed. Retry-After accompanies the rate limiter's 429.
const DEFAULT_EXPOSE = ["Micro-Id", "Retry-After"];

type OriginMatch = (origin: string) => boolean;

function compileOrigin(pattern: string): OriginMatch {
  const p = pattern.trim().toLowerCase().replace(/\/+$/, "");
  const star = p.indexOf("*");
  if (star < 0) return (o) => o === p;
  const scheme = p.indexOf("://");
  if (scheme < 0 || star !== scheme + 3 || p[star + 1] !== "." || p.indexOf("*", star + 1) >= 0) {
    throw new Error(
      `CORS origin pattern ${pattern}: "*" may only stand for subdomains, as in https://*.example.com`,
    );
  }
  // One or more DNS labels, so "https://*.example.com" matches neither example.com itself nor
  // anything smuggling a port, path or userinfo into the wildcard.
  const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`^${escaped(p.slice(0, star))}(?:[a-z0-9-]+\\.)+${escaped(p.slice(star + 2))}$`);
  return (o) => re.test(o);
}

function addVary(res: ServerResponse, names: string[]): void {
  const prev = res.getHeader("Vary");
  const have =
    prev === undefined
      ? []
      : String(prev)
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
  const lower = new Set(have.map((s) => s.toLowerCase()));
  if (lower.has("*")) return;
  for (const n of names) if (!lower.has(n.toLowerCase())) have.push(n);
  res.setHeader("Vary", have.join(", "));
}

function list(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  return String(header)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function createCors(options: CorsOptions): Cors {
  const credentials = options.credentials ?? false;
  const anyOrigin = options.origins.includes("*");
  const matchers = options.origins.filter((o) => o !== "*").map(compileOrigin);
  const methods = (options.methods ?? DEFAULT_METHODS).map((m) => m.toUpperCase());
  const anyMethod = methods.includes("*");
  const headers = options.headers ?? DEFAULT_HEADERS;
  const anyHeader = headers.includes("*");
  const headerSet = new Set(headers.map((h) => h.toLowerCase()));
  const expose = (options.exposeHeaders ?? DEFAULT_EXPOSE).join(", ");
  const maxAge = String(options.maxAgeSec ?? 600);

  const allowed = (origin: string): boolean => {
    const o = origin.toLowerCase();
    if (matchers.some((m) => m(o))) return true;
    // Sandboxed iframes and file: pages send "null"; echoing it with credentials would admit them all.
    return anyOrigin && (o !== "null" || !credentials);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): "preflight" | "continue" => {
    const origin = req.headers.origin;
    const requestMethod = req.headers["access-control-request-method"];
    const preflight = req.method === "OPTIONS" && origin !== undefined && requestMethod !== undefined;
    // Caches must key on what the answer depends on, including for origins we turn away.
    addVary(
      res,
      preflight ? ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"] : ["Origin"],
    );
    if (origin === undefined) return "continue";
    const ok = allowed(origin);
    if (!preflight) {
      if (ok) {
        allowOrigin(res, origin);
        if (expose) res.setHeader("Access-Control-Expose-Headers", expose);
      }
      return "continue";
    }

    const method = requestMethod.trim().toUpperCase();
    const asked = list(req.headers["access-control-request-headers"]);
    if (
      !ok ||
      !(anyMethod || methods.includes(method)) ||
      !(anyHeader || asked.every((h) => headerSet.has(h.toLowerCase())))
    ) {
      res.writeHead(403, { "Content-Length": "0" });
      res.end();
      return "preflight";
    }
    allowOrigin(res, origin);
    // Echoing beats a literal "*": with credentials "*" means the header named "*", and it never
    // covers Authorization.
    res.setHeader("Access-Control-Allow-Methods", anyMethod ? method : methods.join(", "));
    if (asked.length > 0)
      res.setHeader("Access-Control-Allow-Headers", anyHeader ? asked.join(", ") : headers.join(", "));
    res.setHeader("Access-Control-Max-Age", maxAge);
    res.writeHead(204);
    res.end();
    return "preflight";
  };

  const allowsOrigin = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    if (origin === undefined || allowed(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host?.toLowerCase();
    } catch {
      return false;
    }
  };

  return Object.assign(handle, { allowsOrigin });

  function allowOrigin(res: ServerResponse, origin: string): void {
    res.setHeader("Access-Control-Allow-Origin", anyOrigin && !credentials ? "*" : origin);
    if (credentials) res.setHeader("Access-Control-Allow-Credentials", "true");
  }
}
