// The `micro_token` cookie the gateway reads tokens from (go-micro's `micro server` name). HttpOnly
// so page scripts cannot read it, SameSite=Strict so other sites' pages cannot send it, Secure when
// the gateway serves TLS, and gone when the token expires (its `exp`, when it is a JWT that has one).
import { TOKEN_COOKIE } from "@micro/gateway";

// RFC 6265 cookie-octet: what a cookie value may hold without quoting (a JWT always fits)
const COOKIE_OCTETS = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/;

export function fitsCookie(token: string): boolean {
  return COOKIE_OCTETS.test(token);
}

/** Seconds until the JWT's `exp`; undefined when the token is no JWT or has none. */
export function secondsLeft(token: string, now = Date.now()): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown }).exp;
    if (typeof exp !== "number" || !Number.isFinite(exp)) return undefined;
    return Math.max(1, Math.floor(exp - now / 1000));
  } catch {
    return undefined;
  }
}

export function tokenCookie(token: string, secure: boolean, maxAge: number | undefined): string {
  return [
    `${TOKEN_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    ...(secure ? ["Secure"] : []),
    ...(maxAge !== undefined ? [`Max-Age=${maxAge}`] : []),
  ].join("; ");
}

export function clearedCookie(secure: boolean): string {
  return [
    `${TOKEN_COOKIE}=`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    ...(secure ? ["Secure"] : []),
    "Max-Age=0",
  ].join("; ");
}
