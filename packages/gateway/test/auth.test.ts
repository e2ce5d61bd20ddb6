import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, inCI } from "@micro/testing/helpers";
import { afterAll, describe, expect, it } from "vitest";
import type { Account } from "../src/auth/account.js";
import { type AuthRequest, type AuthResult, hasScope, requiredScopes, tokenOf } from "../src/auth/check.js";
import { createJwtAuth, type JwtClaims, signJwt, verifyJwt } from "../src/auth/jwt.js";

const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
const nowSec = () => Math.floor(Date.now() / 1000);
const request = (token: string | undefined): AuthRequest => ({
  token,
  method: "POST",
  path: "/greeter/Greeter/Hello",
  headers: {},
  remoteAddress: "127.0.0.1",
});
const denied = (r: AuthResult) => (r.allow ? "allowed" : `${r.status} ${r.detail}`);

describe("tokenOf", () => {
  it("takes a bearer token, scheme case-insensitive and trimmed", () => {
    expect(tokenOf({ authorization: "Bearer abc.def.ghi" })).toBe("abc.def.ghi");
    expect(tokenOf({ authorization: "  bEaReR   abc  " })).toBe("abc");
  });
  it("falls back to go-micro's micro_token cookie", () => {
    expect(tokenOf({ cookie: "a=1; micro_token=tok; b=2" })).toBe("tok");
    expect(tokenOf({ cookie: 'micro_token="quoted"' })).toBe("quoted");
    expect(tokenOf({ authorization: "Basic Zm9vOmJhcg==", cookie: "micro_token=c" })).toBe("c");
    expect(tokenOf({ authorization: "Bearer h", cookie: "micro_token=c" })).toBe("h");
  });
  it("is undefined without one", () => {
    expect(tokenOf({})).toBeUndefined();
    expect(tokenOf({ authorization: "Bearer " })).toBeUndefined();
    expect(tokenOf({ cookie: "micro_token=; other=x" })).toBeUndefined();
    expect(tokenOf({ cookie: "not_micro_token=x" })).toBeUndefined();
  });
});

describe("scopes", () => {
  const acc = (scopes: string[]): Account => ({ id: "a", type: "user", scopes, metadata: {} });
  it("follows micro server's rule", () => {
    expect(hasScope(undefined, [])).toBe(true);
    expect(hasScope(acc([]), [])).toBe(true);
    expect(hasScope(undefined, ["blog:read"])).toBe(false);
    expect(hasScope(acc(["*"]), ["blog:read"])).toBe(true);
    expect(hasScope(acc(["blog:read", "x"]), ["blog:write", "blog:read"])).toBe(true);
    expect(hasScope(acc(["blog:write"]), ["blog:read"])).toBe(false);
  });
  it("reads WithEndpointScopes metadata", () => {
    expect(requiredScopes(undefined)).toEqual([]);
    expect(requiredScopes({})).toEqual([]);
    expect(requiredScopes({ scopes: "" })).toEqual([]);
    expect(requiredScopes({ scopes: "blog:write, blog:admin," })).toEqual(["blog:write", "blog:admin"]);
  });
});

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = {
  ES256: generateKeyPairSync("ec", { namedCurve: "P-256" }),
  ES384: generateKeyPairSync("ec", { namedCurve: "P-384" }),
  ES512: generateKeyPairSync("ec", { namedCurve: "P-521" }),
};
const ed25519 = generateKeyPairSync("ed25519");
const ed448 = generateKeyPairSync("ed448");
const secret = randomBytes(64);

const cases: { alg: string; sign: { secret?: Uint8Array; privateKey?: any }; verify: any }[] = [
  ...["HS256", "HS384", "HS512"].map((alg) => ({ alg, sign: { secret }, verify: { secret } })),
  ...["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"].map((alg) => ({
    alg,
    sign: { privateKey: rsa.privateKey },
    verify: { publicKey: rsa.publicKey },
  })),
  ...(["ES256", "ES384", "ES512"] as const).map((alg) => ({
    alg,
    sign: { privateKey: ec[alg].privateKey },
    verify: { publicKey: ec[alg].publicKey },
  })),
  { alg: "EdDSA", sign: { privateKey: ed25519.privateKey }, verify: { publicKey: ed25519.publicKey } },
  { alg: "EdDSA", sign: { privateKey: ed448.privateKey }, verify: { publicKey: ed448.publicKey } },
];

describe("JWT algorithms", () => {
  for (const c of cases) {
    const claims = { sub: "u1", scopes: ["a"], exp: nowSec() + 60 };
    it(`${c.alg} (${c.sign.secret ? "secret" : c.sign.privateKey.asymmetricKeyType}) verifies and catches tampering`, () => {
      const token = signJwt(claims, { ...c.sign, algorithm: c.alg });
      expect(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString())).toEqual({
        alg: c.alg,
        typ: "JWT",
      });
      expect(verifyJwt(token, c.verify)).toEqual(claims);
      const [h, p, s] = token.split(".") as [string, string, string];
      const forged = b64({ ...claims, sub: "admin" });
      expect(() => verifyJwt(`${h}.${forged}.${s}`, c.verify)).toThrow("invalid signature");
      const sig = Buffer.from(s, "base64url");
      sig[sig.length >> 1]! ^= 1;
      expect(() => verifyJwt(`${h}.${p}.${sig.toString("base64url")}`, c.verify)).toThrow(
        "invalid signature",
      );
      expect(() => verifyJwt(`${h}.${p}.${s.slice(0, -4)}`, c.verify)).toThrow("invalid signature");
    });
  }

  it("ES signatures are JOSE's raw r||s", () => {
    const token = signJwt({ sub: "u" }, { privateKey: ec.ES512.privateKey });
    expect(Buffer.from(token.split(".")[2]!, "base64url")).toHaveLength(132);
  });

  it("picks the default algorithm from the key", () => {
    const alg = (t: string) => JSON.parse(Buffer.from(t.split(".")[0]!, "base64url").toString()).alg;
    expect(alg(signJwt({ sub: "u" }, { secret: "s" }))).toBe("HS256");
    expect(alg(signJwt({ sub: "u" }, { privateKey: rsa.privateKey }))).toBe("RS256");
    expect(alg(signJwt({ sub: "u" }, { privateKey: ec.ES384.privateKey }))).toBe("ES384");
    expect(alg(signJwt({ sub: "u" }, { privateKey: ed25519.privateKey }))).toBe("EdDSA");
    expect(() => signJwt({ sub: "u" }, { privateKey: rsa.privateKey, algorithm: "ES256" })).toThrow(
      "does not fit",
    );
  });
});

describe("JWT rejections", () => {
  const pem = rsa.publicKey.export({ type: "spki", format: "pem" }) as string;

  it("rejects alg none, with or without a signature", () => {
    const body = b64({ sub: "admin" });
    for (const alg of ["none", "None", "NONE"]) {
      expect(() => verifyJwt(`${b64({ alg })}.${body}.`, { secret })).toThrow("alg none");
      expect(() => verifyJwt(`${b64({ alg })}.${body}.AAAA`, { publicKey: pem })).toThrow("alg none");
    }
  });

  it("rejects algorithm confusion: an HS token keyed with the RSA public key", () => {
    const token = signJwt({ sub: "admin" }, { secret: pem, algorithm: "HS256" });
    expect(() => verifyJwt(token, { publicKey: pem })).toThrow("algorithm HS256 not allowed for this key");
    expect(() => verifyJwt(token, { publicKey: pem, algorithms: ["HS256", "RS256"] })).toThrow(
      "not allowed for this key",
    );
    // ...and the other way round: an asymmetric token never verifies against a secret.
    const rs = signJwt({ sub: "admin" }, { privateKey: rsa.privateKey });
    expect(() => verifyJwt(rs, { secret: pem })).toThrow("algorithm RS256 not allowed for this key");
    const es = signJwt({ sub: "admin" }, { privateKey: ec.ES256.privateKey });
    expect(() => verifyJwt(es, { publicKey: ec.ES384.publicKey })).toThrow("ES256 not allowed");
  });

  it("lets options narrow, never widen, the algorithms", () => {
    const rs = signJwt({ sub: "u" }, { privateKey: rsa.privateKey, algorithm: "RS256" });
    expect(() => verifyJwt(rs, { publicKey: pem, algorithms: ["PS256"] })).toThrow("RS256 not allowed");
    expect(() => createJwtAuth({ publicKey: pem, algorithms: ["HS256"] })).toThrow("fits the key");
    expect(() => createJwtAuth({ publicKey: pem, algorithms: ["XX1"] })).toThrow("unsupported");
    expect(() => createJwtAuth({})).toThrow("exactly one");
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 });
    expect(() => createJwtAuth({ publicKey: small.publicKey })).toThrow("2048");
  });

  it("rejects malformed tokens with a one-line reason", () => {
    const good = signJwt({ sub: "u" }, { secret });
    const bad: [string, string][] = [
      ["", "three dot-separated parts"],
      ["abc", "three dot-separated parts"],
      ["a.b", "three dot-separated parts"],
      [`${good}.x`, "three dot-separated parts"],
      [`.${good.split(".")[1]}.x`, "not base64url"],
      [`${b64({ alg: "HS256" })}.e30=.sig`, "not base64url"],
      [`${b64("not json")}.e30.sig`, "header is not base64url JSON"],
      [`${b64([1])}.e30.sig`, "header is not a JSON object"],
      [`${b64({ typ: "JWT" })}.e30.sig`, "header has no alg"],
      [`${b64({ alg: "HS1" })}.e30.sig`, "unsupported algorithm HS1"],
      [`${b64({ alg: "constructor" })}.e30.sig`, "unsupported algorithm constructor"],
      [`${b64({ alg: "HS256", crit: ["b64"] })}.e30.sig`, "critical"],
      [`${b64({ alg: "HS256" })}.e30.`, "signature is empty"],
    ];
    for (const [token, reason] of bad) {
      let message = "";
      try {
        verifyJwt(token, { secret });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message, token).toContain(reason);
      expect(message).not.toContain("\n");
    }
  });

  it("rejects validly signed payloads that are not claims", () => {
    // signJwt only takes objects, so sign an array by hand.
    const input = `${b64({ alg: "HS256" })}.${b64([1, 2])}`;
    const sig = createHmac("sha256", secret).update(input).digest("base64url");
    expect(() => verifyJwt(`${input}.${sig}`, { secret })).toThrow("payload is not a JSON object");
    const token = signJwt({ sub: "u", exp: "soon" }, { secret });
    expect(() => verifyJwt(token, { secret })).toThrow("exp is not a number");
  });

  it("checks exp and nbf with the clock tolerance", () => {
    const t = 1_800_000_000;
    const at = (sec: number) => ({ secret, now: () => sec * 1000 });
    const exp = signJwt({ sub: "u", exp: t }, { secret });
    expect(() => verifyJwt(exp, at(t - 1))).not.toThrow();
    expect(() => verifyJwt(exp, at(t + 29))).not.toThrow();
    expect(() => verifyJwt(exp, at(t + 30))).toThrow("token expired");
    expect(() => verifyJwt(exp, { ...at(t + 1), clockToleranceSec: 0 })).toThrow("token expired");
    const nbf = signJwt({ sub: "u", nbf: t }, { secret });
    expect(() => verifyJwt(nbf, at(t - 30))).not.toThrow();
    expect(() => verifyJwt(nbf, at(t - 31))).toThrow("token not yet valid");
    expect(() => verifyJwt(nbf, { ...at(t - 1), clockToleranceSec: 0 })).toThrow("token not yet valid");
  });

  it("checks iss and aud", () => {
    const token = signJwt({ sub: "u", iss: "micro", aud: ["gw", "other"] }, { secret });
    expect(() => verifyJwt(token, { secret, issuer: "micro", audience: "gw" })).not.toThrow();
    expect(() => verifyJwt(token, { secret, audience: ["x", "other"] })).not.toThrow();
    expect(() => verifyJwt(token, { secret, issuer: "evil" })).toThrow("issuer does not match");
    expect(() => verifyJwt(token, { secret, audience: "nope" })).toThrow("audience does not match");
    const plain = signJwt({ sub: "u" }, { secret });
    expect(() => verifyJwt(plain, { secret, issuer: "micro" })).toThrow("issuer does not match");
    expect(() => verifyJwt(plain, { secret, audience: "gw" })).toThrow("audience does not match");
    const single = signJwt({ sub: "u", aud: "gw" }, { secret });
    expect(() => verifyJwt(single, { secret, audience: "gw" })).not.toThrow();
  });
});

describe("createJwtAuth", () => {
  it("answers missing, invalid and valid tokens", async () => {
    const auth = createJwtAuth({ secret });
    expect(await auth(request(undefined))).toEqual({ allow: false, status: 401, detail: "missing token" });
    expect(await auth(request("x.y"))).toEqual({
      allow: false,
      status: 401,
      detail: "malformed token: expected three dot-separated parts",
    });
    const other = signJwt({ sub: "u" }, { secret: "other" });
    expect(denied(await auth(request(other)))).toBe("401 invalid signature");
    const nosub = signJwt({ type: "user" }, { secret });
    expect(denied(await auth(request(nosub)))).toBe("401 malformed token: no sub claim");
    const token = signJwt(
      {
        sub: "svc",
        type: "service",
        scopes: ["a", 7, "b"],
        metadata: { team: "x", n: 1 },
        exp: nowSec() + 60,
      },
      { secret },
    );
    expect(await auth(request(token))).toEqual({
      allow: true,
      account: { id: "svc", type: "service", scopes: ["a", "b"], metadata: { team: "x" } },
    });
    const oauth = signJwt({ sub: "o", scope: "read write" }, { secret });
    expect(await auth(request(oauth))).toEqual({
      allow: true,
      account: { id: "o", type: "user", scopes: ["read", "write"], metadata: {} },
    });
  });

  it("caches verified tokens, honouring exp", async () => {
    let now = 1_800_000_000_000;
    const auth = createJwtAuth({ publicKey: rsa.publicKey, now: () => now, clockToleranceSec: 5 });
    const token = signJwt({ sub: "u", exp: now / 1000 + 10 }, { privateKey: rsa.privateKey });
    const first = (await auth(request(token))) as { allow: true; account: Account };
    const again = (await auth(request(token))) as { allow: true; account: Account };
    // The same frozen object: the second answer came from the cache, not a fresh verification.
    expect(again.account).toBe(first.account);
    expect(Object.isFrozen(first.account.scopes)).toBe(true);
    now += 14_000;
    expect((await auth(request(token))).allow).toBe(true);
    now += 1_000;
    expect(denied(await auth(request(token)))).toBe("401 token expired");
    expect(denied(await auth(request(token)))).toBe("401 token expired");
  });

  it("re-verifies after the cache TTL and evicts the least recently used", async () => {
    let now = 1_800_000_000_000;
    const auth = createJwtAuth({ secret, now: () => now, cacheSize: 2, cacheTtlSec: 60 });
    const [a, b, c] = ["a", "b", "c"].map((sub) => signJwt({ sub }, { secret }));
    const account = async (t: string) => ((await auth(request(t))) as { account: Account }).account;
    const a1 = await account(a!);
    const b1 = await account(b!);
    expect(await account(a!)).toBe(a1); // a is now the most recent
    await account(c!); // evicts b
    expect(await account(a!)).toBe(a1);
    expect(await account(b!)).not.toBe(b1);
    const a2 = await account(a!);
    now += 61_000;
    expect(await account(a!)).not.toBe(a2);
    const uncached = createJwtAuth({ secret, cacheSize: 0 });
    const u1 = await uncached(request(a!));
    expect(await uncached(request(a!))).not.toBe(u1);
  });
});

describe("go-micro micro server tokens", () => {
  const dir = mkdtempSync(join(tmpdir(), "micro-keys-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("accepts an RS256 token shaped like util_jwt.go's, with its PKCS1/PKIX PEM files", async () => {
    // What InitJWTKeys writes: x509.MarshalPKCS1PrivateKey / MarshalPKIXPublicKey.
    const keys = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    expect(keys.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(keys.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    writeFileSync(join(dir, "private.pem"), keys.privateKey, { mode: 0o600 });
    writeFileSync(join(dir, "public.pem"), keys.publicKey);
    // GenerateJWT's jwt.MapClaims, which Go marshals with sorted keys.
    const claims: JwtClaims = { exp: nowSec() + 86_400, scopes: ["*"], sub: "admin", type: "admin" };
    const token = signJwt(claims, {
      privateKey: readFileSync(join(dir, "private.pem"), "utf8"),
      algorithm: "RS256",
    });
    expect(token.split(".")[0]).toBe("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"); // golang-jwt's header bytes
    const auth = createJwtAuth({ publicKeyFile: join(dir, "public.pem") });
    const want = { allow: true, account: { id: "admin", type: "admin", scopes: ["*"], metadata: {} } };
    expect(await auth(request(token))).toEqual(want);
    // go-micro's auth/jwt provider takes the PEM base64-encoded (MICRO_AUTH_PUBLIC_KEY).
    const b64Pem = Buffer.from(keys.publicKey).toString("base64");
    expect(await createJwtAuth({ publicKey: b64Pem })(request(token))).toEqual(want);
  });

  const micro = join(dirname(fileURLToPath(import.meta.url)), "../../../interop/bin/micro");
  const missing = existsSync(micro) ? undefined : `${micro} is missing (run interop/build.sh)`;

  if (missing && inCI) {
    it("needs go-micro's micro CLI in CI", () => {
      throw new Error(missing);
    });
  }

  it.skipIf(missing !== undefined)(
    `accepts a token minted by go-micro's micro server login${missing ? ` — skipped: ${missing}` : ""}`,
    async () => {
      const home = mkdtempSync(join(tmpdir(), "micro-home-"));
      const port = await freePort();
      let proc: ChildProcess | undefined;
      try {
        proc = spawn(micro, ["server", "--address", `127.0.0.1:${port}`], {
          env: { ...process.env, HOME: home },
          stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        proc.stderr!.on("data", (d) => {
          stderr += d;
        });
        const token = await login(port, () => stderr);
        const auth = createJwtAuth({ publicKeyFile: join(home, "micro", "keys", "public.pem") });
        expect(await auth(request(token))).toEqual({
          allow: true,
          account: { id: "admin", type: "admin", scopes: ["*"], metadata: {} },
        });
        const forged = signJwt(
          { sub: "admin", type: "admin", scopes: ["*"] },
          { privateKey: rsa.privateKey },
        );
        expect(denied(await auth(request(forged)))).toBe("401 invalid signature");
      } finally {
        proc?.kill();
        rmSync(home, { recursive: true, force: true });
      }
    },
    20_000,
  );
});

/** POSTs go-micro's default admin credentials until the server is up; returns the micro_token cookie. */
async function login(port: number, stderr: () => string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/auth/login`, {
        method: "POST",
        body: new URLSearchParams({ id: "admin", password: "micro" }),
        redirect: "manual",
      });
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith("micro_token="));
      const token = cookie ? tokenOf({ cookie: cookie.split(";")[0] }) : undefined;
      if (!token) throw new Error(`login answered ${res.status} without a micro_token cookie`);
      return token;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`micro server login failed: ${(err as Error).message}\n${stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
