// The default auth check: JWT bearer tokens verified with node:crypto alone. Accepts the tokens that
// go-micro's `micro server` mints (RS256 signed with ~/micro/keys/private.pem; claims sub, type,
// scopes, exp) when given its public.pem, and those of go-micro's auth/jwt provider (plus iss,
// metadata), as well as any standards-following issuer's.
import {
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  KeyObject,
  timingSafeEqual,
} from "node:crypto";
import { readFileSync } from "node:fs";
import type { Account } from "./account.js";
import type { AuthCheck, AuthResult } from "./check.js";

export type JwtClaims = Record<string, unknown>;

export interface JwtVerifyOptions {
  /** HMAC secret (HS256/384/512 only). */
  secret?: string | Uint8Array;
  /** PEM (SPKI, PKCS#1, a certificate, or a private key whose public half is taken) or a KeyObject. */
  publicKey?: string | KeyObject;
  /** A file holding such a PEM, e.g. go-micro's ~/micro/keys/public.pem. */
  publicKeyFile?: string;
  /** Narrows the algorithms the key type allows; it can never widen them. */
  algorithms?: string[];
  issuer?: string;
  /** Accepted when the token's `aud` (string or array) contains any of these. */
  audience?: string | string[];
  /** Slack for exp/nbf against clock skew between issuer and gateway. Default 30. */
  clockToleranceSec?: number;
  /** Milliseconds since the epoch; for tests. */
  now?: () => number;
}

export interface JwtAuthOptions extends JwtVerifyOptions {
  /** Verified tokens kept, least recently used evicted. Default 10 000; 0 disables the cache. */
  cacheSize?: number;
  /** Longest a verified token is trusted without re-verifying. Default 300. */
  cacheTtlSec?: number;
}

export interface JwtSignOptions {
  secret?: string | Uint8Array;
  /** PEM (PKCS#8, PKCS#1, SEC1) or a KeyObject. */
  privateKey?: string | KeyObject;
  /** Default: HS256 for a secret, else the first algorithm the key type allows (RS256, ES256...). */
  algorithm?: string;
}

/** A token was rejected; the message is a one-line reason fit for a 401 detail. */
export class JwtError extends Error {
  override name = "JwtError";
}

type Kind = "hmac" | "rsa" | "pss" | "ecdsa" | "eddsa";
interface Alg {
  kind: Kind;
  hash: string | null;
  /** ECDSA signatures are JOSE's fixed-width r||s. */
  sigBytes?: number;
}

const ALGS: Record<string, Alg> = {
  HS256: { kind: "hmac", hash: "sha256" },
  HS384: { kind: "hmac", hash: "sha384" },
  HS512: { kind: "hmac", hash: "sha512" },
  RS256: { kind: "rsa", hash: "sha256" },
  RS384: { kind: "rsa", hash: "sha384" },
  RS512: { kind: "rsa", hash: "sha512" },
  PS256: { kind: "pss", hash: "sha256" },
  PS384: { kind: "pss", hash: "sha384" },
  PS512: { kind: "pss", hash: "sha512" },
  ES256: { kind: "ecdsa", hash: "sha256", sigBytes: 64 },
  ES384: { kind: "ecdsa", hash: "sha384", sigBytes: 96 },
  ES512: { kind: "ecdsa", hash: "sha512", sigBytes: 132 },
  EdDSA: { kind: "eddsa", hash: null },
};

// Own properties only: a header alg of "constructor" must not find Object.prototype's.
const algOf = (name: string): Alg | undefined => (Object.hasOwn(ALGS, name) ? ALGS[name] : undefined);

const CURVE_ALG: Record<string, string> = { prime256v1: "ES256", secp384r1: "ES384", secp521r1: "ES512" };

/**
 * The algorithms a key can mean. Choosing them from the key, never from the token header, is what
 * stops algorithm confusion (an RS256 public key misused as an HS256 secret) and `alg: none`.
 */
function algorithmsFor(key: KeyObject): string[] {
  if (key.type === "secret") return ["HS256", "HS384", "HS512"];
  const details = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case "rsa":
    case "rsa-pss": {
      // RFC 7518 §3.3: shorter RSA keys are forgeable in practice.
      if ((details?.modulusLength ?? 0) < 2048) throw new Error("RSA keys must be at least 2048 bits");
      const pss = ["PS256", "PS384", "PS512"];
      return key.asymmetricKeyType === "rsa" ? ["RS256", "RS384", "RS512", ...pss] : pss;
    }
    case "ec": {
      const alg = CURVE_ALG[details?.namedCurve ?? ""];
      if (!alg) throw new Error(`unsupported EC curve ${details?.namedCurve}`);
      return [alg];
    }
    case "ed25519":
    case "ed448":
      return ["EdDSA"];
    default:
      throw new Error(`unsupported key type ${key.asymmetricKeyType}`);
  }
}

/** go-micro's auth/jwt provider configures keys as base64 of the PEM; accept that too. */
function unwrapPem(text: string): string {
  if (text.includes("-----BEGIN")) return text;
  const decoded = Buffer.from(text.trim(), "base64").toString("utf8");
  return decoded.includes("-----BEGIN") ? decoded : text;
}

function secretKey(secret: string | Uint8Array): KeyObject {
  const bytes = typeof secret === "string" ? Buffer.from(secret, "utf8") : secret;
  if (bytes.length === 0) throw new Error("the JWT secret is empty");
  return createSecretKey(bytes);
}

function verifyKey(options: JwtVerifyOptions): KeyObject {
  const given = [options.secret, options.publicKey, options.publicKeyFile].filter((k) => k !== undefined);
  if (given.length !== 1) throw new Error("JWT auth needs exactly one of secret, publicKey, publicKeyFile");
  if (options.secret !== undefined) return secretKey(options.secret);
  const pk = options.publicKey ?? readFileSync(options.publicKeyFile!, "utf8");
  if (pk instanceof KeyObject) return pk.type === "private" ? createPublicKey(pk) : pk;
  return createPublicKey(unwrapPem(pk));
}

function signKey(options: JwtSignOptions): KeyObject {
  if ((options.secret === undefined) === (options.privateKey === undefined)) {
    throw new Error("signJwt needs exactly one of secret, privateKey");
  }
  if (options.secret !== undefined) return secretKey(options.secret);
  const pk = options.privateKey!;
  return pk instanceof KeyObject ? pk : createPrivateKey(unwrapPem(pk));
}

function b64(bytes: Buffer | string): string {
  return Buffer.from(bytes).toString("base64url");
}

function signBytes(alg: Alg, key: KeyObject, input: Buffer): Buffer {
  switch (alg.kind) {
    case "hmac":
      return createHmac(alg.hash!, key).update(input).digest();
    case "rsa":
      return cryptoSign(alg.hash, input, { key, padding: constants.RSA_PKCS1_PADDING });
    case "pss":
      // RFC 7518 §3.5: salt as long as the hash.
      return cryptoSign(alg.hash, input, {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      });
    case "ecdsa":
      return cryptoSign(alg.hash, input, { key, dsaEncoding: "ieee-p1363" });
    case "eddsa":
      return cryptoSign(null, input, key);
  }
}

function verifyBytes(alg: Alg, key: KeyObject, input: Buffer, sig: Buffer): boolean {
  try {
    switch (alg.kind) {
      case "hmac": {
        const want = createHmac(alg.hash!, key).update(input).digest();
        return want.length === sig.length && timingSafeEqual(want, sig);
      }
      case "rsa":
        return cryptoVerify(alg.hash, input, { key, padding: constants.RSA_PKCS1_PADDING }, sig);
      case "pss":
        // Any salt length, as golang-jwt verifies, so tokens signed by either side pass.
        return cryptoVerify(
          alg.hash,
          input,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          sig,
        );
      case "ecdsa":
        return (
          sig.length === alg.sigBytes &&
          cryptoVerify(alg.hash, input, { key, dsaEncoding: "ieee-p1363" }, sig)
        );
      case "eddsa":
        return cryptoVerify(null, input, key, sig);
    }
  } catch {
    return false;
  }
}

/** Signs claims as a compact JWS; for tests and the CLI (the gateway itself only verifies). */
export function signJwt(claims: JwtClaims, options: JwtSignOptions): string {
  const key = signKey(options);
  const allowed = algorithmsFor(key.type === "private" ? createPublicKey(key) : key);
  const name = options.algorithm ?? allowed[0]!;
  const alg = algOf(name);
  if (!alg) throw new Error(`unsupported JWT algorithm ${name}`);
  if (!allowed.includes(name)) throw new Error(`algorithm ${name} does not fit this key`);
  // The header golang-jwt writes, in its order.
  const input = `${b64(JSON.stringify({ alg: name, typ: "JWT" }))}.${b64(JSON.stringify(claims))}`;
  return `${input}.${b64(signBytes(alg, key, Buffer.from(input)))}`;
}

const b64url = /^[A-Za-z0-9_-]+$/;

function segment(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw new JwtError(`malformed token: ${what} is not base64url JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new JwtError(`malformed token: ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function numericDate(claims: JwtClaims, name: string): number | undefined {
  const v = claims[name];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new JwtError(`malformed token: ${name} is not a number`);
  return v;
}

/** Verifies tokens against one key; the options are parsed once, not per token. */
export function createJwtVerifier(options: JwtVerifyOptions): (token: string) => JwtClaims {
  const key = verifyKey(options);
  let allowed = algorithmsFor(key);
  if (options.algorithms) {
    for (const a of options.algorithms) if (!algOf(a)) throw new Error(`unsupported JWT algorithm ${a}`);
    allowed = allowed.filter((a) => options.algorithms!.includes(a));
    if (allowed.length === 0) throw new Error("none of the configured JWT algorithms fits the key");
  }
  const tolerance = options.clockToleranceSec ?? 30;
  const now = options.now ?? Date.now;
  const audiences = options.audience === undefined ? undefined : ([] as string[]).concat(options.audience);

  return (token) => {
    const parts = token.split(".");
    if (parts.length !== 3) throw new JwtError("malformed token: expected three dot-separated parts");
    const [h, p, s] = parts as [string, string, string];
    if (!b64url.test(h) || !b64url.test(p))
      throw new JwtError("malformed token: a part is empty or not base64url");
    const header = segment(h, "header");
    const name = header.alg;
    if (typeof name !== "string") throw new JwtError("malformed token: header has no alg");
    if (name.toLowerCase() === "none") throw new JwtError("unsigned token (alg none) rejected");
    const alg = algOf(name);
    if (!alg) throw new JwtError(`unsupported algorithm ${name}`);
    if (!allowed.includes(name)) throw new JwtError(`algorithm ${name} not allowed for this key`);
    // RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
    if (header.crit !== undefined) throw new JwtError("unsupported critical header parameters");
    if (!b64url.test(s)) throw new JwtError("malformed token: the signature is empty or not base64url");
    if (!verifyBytes(alg, key, Buffer.from(`${h}.${p}`), Buffer.from(s, "base64url"))) {
      throw new JwtError("invalid signature");
    }

    const claims = segment(p, "payload");
    const t = now() / 1000;
    const exp = numericDate(claims, "exp");
    if (exp !== undefined && t >= exp + tolerance) throw new JwtError("token expired");
    const nbf = numericDate(claims, "nbf");
    if (nbf !== undefined && t < nbf - tolerance) throw new JwtError("token not yet valid");
    if (options.issuer !== undefined && claims.iss !== options.issuer) {
      throw new JwtError("token issuer does not match");
    }
    if (audiences) {
      const aud = claims.aud;
      const has = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
      if (!has.some((a) => audiences.includes(a))) throw new JwtError("token audience does not match");
    }
    return claims;
  };
}

/** Verifies one token; build a verifier with {@link createJwtVerifier} to verify many. */
export function verifyJwt(token: string, options: JwtVerifyOptions): JwtClaims {
  return createJwtVerifier(options)(token);
}

/**
 * The account go-micro would see: `sub` (its dashboard falls back to `id`), `type`, `scopes`;
 * `metadata` as go-micro's auth/jwt provider writes it; OAuth's space-separated `scope` when there
 * are no `scopes`.
 */
export function accountOf(claims: JwtClaims): Account {
  const id = typeof claims.sub === "string" ? claims.sub : typeof claims.id === "string" ? claims.id : "";
  if (id === "") throw new JwtError("malformed token: no sub claim");
  let scopes: string[] = [];
  if (Array.isArray(claims.scopes)) scopes = claims.scopes.filter((s): s is string => typeof s === "string");
  else if (typeof claims.scope === "string") scopes = claims.scope.split(" ").filter((s) => s !== "");
  const metadata: Record<string, string> = {};
  const md = claims.metadata;
  if (typeof md === "object" && md !== null && !Array.isArray(md)) {
    for (const [k, v] of Object.entries(md)) if (typeof v === "string") metadata[k] = v;
  }
  return { id, type: typeof claims.type === "string" ? claims.type : "user", scopes, metadata };
}

interface Cached {
  account: Account;
  exp: number | undefined;
  /** When to re-verify regardless (ms). */
  until: number;
}

/**
 * The gateway's default {@link AuthCheck}. Verified tokens are cached: a client sends the same
 * bearer token with every request and an RSA verification costs tens of microseconds. Only the
 * clock can change a verified token's verdict, so a hit re-checks exp and nothing else.
 */
export function createJwtAuth(options: JwtAuthOptions): AuthCheck {
  const verify = createJwtVerifier(options);
  const now = options.now ?? Date.now;
  const tolerance = options.clockToleranceSec ?? 30;
  const size = options.cacheSize ?? 10_000;
  const ttlMs = (options.cacheTtlSec ?? 300) * 1000;
  // A Map iterates in insertion order; re-inserting on a hit makes its first key the least recent.
  const cache = new Map<string, Cached>();

  return (request): AuthResult => {
    const token = request.token;
    if (!token) return { allow: false, status: 401, detail: "missing token" };
    const t = now();
    const hit = cache.get(token);
    if (hit) {
      cache.delete(token);
      if (hit.exp !== undefined && t / 1000 >= hit.exp + tolerance) {
        return { allow: false, status: 401, detail: "token expired" };
      }
      if (t < hit.until) {
        cache.set(token, hit);
        return { allow: true, account: hit.account };
      }
    }
    let account: Account;
    let claims: JwtClaims;
    try {
      claims = verify(token);
      account = accountOf(claims);
    } catch (err) {
      return { allow: false, status: 401, detail: err instanceof JwtError ? err.message : String(err) };
    }
    if (size > 0) {
      // Frozen: every later request for this token gets the same object.
      Object.freeze(account.scopes);
      Object.freeze(account.metadata);
      Object.freeze(account);
      cache.set(token, { account, exp: claims.exp as number | undefined, until: t + ttlMs });
      if (cache.size > size) cache.delete(cache.keys().next().value!);
    }
    return { allow: true, account };
  };
}
