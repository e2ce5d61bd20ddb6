// The pluggable auth check: the gateway extracts the token, the check decides. A check never writes
// the response itself, so every auth scheme fails the same way (status + detail in a go-micro error).
// Endpoint scopes are go-micro's rule, applied by the gateway to the account a check returns.
import type { IncomingHttpHeaders } from "node:http";
import type { Account } from "./account.js";

export interface AuthRequest {
  /** From {@link tokenOf}; undefined when the request carried none. */
  token: string | undefined;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  remoteAddress: string;
  /** The resolved route, when the gateway knows it before the check runs. */
  service?: string;
  endpoint?: string;
}

export type AuthResult =
  | { allow: true; account?: Account }
  | { allow: false; status: 401 | 403; detail: string };

export type AuthCheck = (request: AuthRequest) => AuthResult | Promise<AuthResult>;

/** The cookie go-micro's `micro server` sets at login. */
export const TOKEN_COOKIE = "micro_token";

const bearer = /^\s*bearer\s+(\S+)\s*$/i;

/**
 * Where go-micro's `micro server` looks for a token: `Authorization: Bearer <token>`, else the
 * `micro_token` cookie. Any other Authorization scheme falls through to the cookie, as there.
 */
export function tokenOf(headers: IncomingHttpHeaders): string | undefined {
  const authz = headers.authorization;
  if (authz) {
    const m = bearer.exec(authz);
    if (m) return m[1];
  }
  const cookie = headers.cookie;
  return cookie ? cookieValue(cookie, TOKEN_COOKIE) : undefined;
}

function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    // Go's http.Cookie strips one pair of surrounding quotes.
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (value !== "") return value;
  }
  return undefined;
}

/**
 * go-micro's `micro server` endpoint check: no required scopes means anyone (even an anonymous caller)
 * may call; a caller scope of "*" grants everything; otherwise one shared scope is enough. Scopes
 * compare exactly, as `micro server` does.
 */
export function hasScope(account: Account | undefined, required: readonly string[]): boolean {
  if (required.length === 0) return true;
  if (!account) return false;
  for (const have of account.scopes) {
    if (have === "*" || required.includes(have)) return true;
  }
  return false;
}

/**
 * The scopes an endpoint demands, from the registry metadata that go-micro's
 * `server.WithEndpointScopes` writes: key `scopes`, comma-separated.
 */
export function requiredScopes(endpointMetadata: Record<string, string> | undefined): string[] {
  const raw = endpointMetadata?.scopes;
  if (!raw) return [];
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}
