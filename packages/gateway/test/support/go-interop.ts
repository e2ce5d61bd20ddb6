// Real processes for the gateway's interop tests: interop's Go peer and go-micro's own `micro` CLI
// (interop/bin, built by interop/build.sh), the TypeScript interop peer, and our CLI's `micro api` /
// `micro server`. All of them find each other over mdns, go-micro's default registry; every listener
// is on 127.0.0.1 and every process started here is killed by stopAll() (and, should the worker die
// first, by an exit hook) so a failing test never leaves a node in the registry.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, inCI, JsonLinesProcess, loopbackEnv, skipOrFailFor } from "@micro/testing/helpers";
import { WebSocket } from "ws";

export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
export const bin = {
  goPeer: join(repoRoot, "interop/bin/peer"),
  goMicro: join(repoRoot, "interop/bin/micro"),
  tsPeer: join(repoRoot, "interop/dist/peer.js"),
  cli: join(repoRoot, "packages/cli/dist/bin.js"),
};

/** Why the tests cannot run here (missing builds), or undefined; under CI a reason is thrown. */
export function prerequisites(need: (keyof typeof bin)[]): string | undefined {
  const hint: Record<keyof typeof bin, string> = {
    goPeer: "run bash interop/build.sh",
    goMicro: "run bash interop/build.sh",
    tsPeer: "run pnpm -F @micro/interop build",
    cli: "run pnpm -F @micro/gateway -F @micro/cli build",
  };
  if (inCI && need.some((k) => (k === "goPeer" || k === "goMicro") && !existsSync(bin[k]))) buildGoBinaries();
  const missing = need.filter((k) => !existsSync(bin[k]));
  if (!missing.length) return undefined;
  return skipOrFail(missing.map((k) => `${bin[k]} is missing (${hint[k]})`).join("; "));
}

/**
 * Under CI the Go binaries are built here when missing: turbo may run this package's tests before
 * interop's, whose test script builds them. A failed build fails the tests.
 */
export function buildGoBinaries(): void {
  execFileSync("bash", [join(repoRoot, "interop", "build.sh")], { stdio: "inherit", timeout: 15 * 60_000 });
}

/** Locally: warn and return the reason (the caller skips); under CI: throw it. */
export const skipOrFail = skipOrFailFor("gateway interop");

export { uniqueName as unique } from "@micro/testing/helpers";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const running = new Set<Proc>();
// vitest ends a worker without running afterAll when a hook times out badly; SIGKILL is synchronous
process.once("exit", () => {
  for (const p of running) p.proc.kill("SIGKILL");
});

/**
 * A child process with its stdout lines (JSON ones parsed) and stderr kept for failure messages,
 * killed by stopAll(). Its stop() sends SIGTERM (Go peers deregister from mdns on it), SIGKILL if it
 * lingers 3 s.
 */
export class Proc extends JsonLinesProcess {
  constructor(name: string, proc: ChildProcess) {
    super(proc, { name, timeoutMs: 15_000, graceMs: 3000 });
    running.add(this);
    void this.exited.then(() => running.delete(this));
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** Go peers, go-micro and our processes share go-micro's defaults (mdns, http transport/broker), on loopback. */
function start(name: string, cmd: string, args: string[], env: Record<string, string> = {}): Proc {
  return new Proc(name, spawn(cmd, args, { env: loopbackEnv(env), stdio: ["ignore", "pipe", "pipe"] }));
}

/** interop's Go peer (`peer server`), ready once registered. */
export async function startGoPeer(name: string, extra: string[] = []): Promise<Proc> {
  const p = start(`go peer ${name}`, bin.goPeer, ["server", "--name", name, ...extra]);
  await p.until(() => p.lines.some((l) => l.ready === true), "ready", 20_000);
  return p;
}

/** interop's TypeScript peer (same Greeter endpoints as the Go one), ready once registered. */
export async function startTsPeer(name: string, extra: string[] = []): Promise<Proc> {
  const p = start(`ts peer ${name}`, process.execPath, [bin.tsPeer, "server", "--name", name, ...extra]);
  await p.until(() => p.lines.some((l) => l.ready === true), "ready", 20_000);
  return p;
}

/** Our CLI's `micro api` or `micro server`; resolves with its base URL once it says it listens. */
export async function startOurGateway(
  command: "api" | "server",
  args: string[] = [],
): Promise<{ proc: Proc; url: string }> {
  const port = await freePort();
  const p = start(`our micro ${command}`, process.execPath, [
    bin.cli,
    command,
    "--address",
    `127.0.0.1:${port}`,
    ...args,
  ]);
  await p.until(() => p.stderr.includes("listening on http://"), "the listening line");
  return { proc: p, url: `http://127.0.0.1:${port}` };
}

/** go-micro's `micro api` (cmd/micro/api/api.go); it prints nothing useful, so wait for /health. */
export async function startGoMicroApi(): Promise<{ proc: Proc; url: string }> {
  const port = await freePort();
  const p = start("go-micro micro api", bin.goMicro, ["api", "--address", `127.0.0.1:${port}`]);
  const url = `http://127.0.0.1:${port}`;
  await until(
    async () => (await fetch(`${url}/health`).catch(() => undefined))?.ok === true,
    "go-micro micro api /health",
    p,
  );
  return { proc: p, url };
}

/**
 * go-micro's `micro server` (auth always on) with HOME pointing at `home`: it writes its RSA key pair
 * to home/micro/keys on start. Ready once it logs "Listening".
 */
export async function startGoMicroServer(home: string): Promise<{ proc: Proc; url: string }> {
  const port = await freePort();
  const p = start("go-micro micro server", bin.goMicro, ["server", "--address", `127.0.0.1:${port}`], {
    HOME: home,
  });
  await p.until(() => p.stderr.includes("Listening on"), "the Listening line", 20_000);
  return { proc: p, url: `http://127.0.0.1:${port}` };
}

/** Polls check() every 100 ms until it holds; the error carries the process's output. */
export async function until(
  check: () => Promise<boolean>,
  what: string,
  proc?: Proc,
  ms = 15_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${ms} ms waiting for ${what}${proc ? `\n${proc.name} stderr:\n${proc.stderr.slice(-3000)}` : ""}`,
      );
    }
    if (proc && proc.proc.exitCode !== null)
      throw new Error(`${proc.name} exited (${proc.proc.exitCode}) waiting for ${what}:\n${proc.stderr}`);
    await sleep(100);
  }
}

export interface Reply {
  status: number;
  type: string | null;
  text: string;
  headers: Headers;
  ms: number;
}

/** One HTTP request; the body text is kept byte-exact (no JSON round trip, big integers intact). */
export async function http(
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Reply> {
  const started = performance.now();
  const res = await fetch(url, {
    method: init.method ?? (init.body !== undefined ? "POST" : "GET"),
    ...(init.body !== undefined ? { body: init.body } : {}),
    headers: { ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}), ...init.headers },
    redirect: "manual",
    signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    text,
    headers: res.headers,
    ms: performance.now() - started,
  };
}

/** go-micro's micro server login with its default admin account: the micro_token cookie's JWT. */
export async function goMicroLogin(url: string): Promise<string> {
  const res = await fetch(`${url}/auth/login`, {
    method: "POST",
    body: new URLSearchParams({ id: "admin", password: "micro" }),
    redirect: "manual",
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("micro_token="));
  if (!cookie) throw new Error(`login answered ${res.status} without a micro_token cookie`);
  return cookie.slice("micro_token=".length).split(";")[0]!;
}

/** A WebSocket stream through the gateway: frames received as text, and how it closed. */
export class WsSession {
  readonly frames: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      this.frames.push(isBinary ? `<binary ${String(data)}>` : String(data));
      for (const w of this.#waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) =>
      ws.on("close", (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const w of this.#waiters.splice(0)) w();
      }),
    );
  }

  /** Opens the socket; an upgrade the gateway refuses rejects with its status and body. */
  static open(url: string, headers: Record<string, string> = {}): Promise<WsSession> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once("open", () => resolve(new WsSession(ws)));
      ws.once("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d));
        res.on("end", () => reject(new Error(`upgrade refused: ${res.statusCode} ${body}`)));
      });
      ws.once("error", reject);
    });
  }

  send(text: string): void {
    this.ws.send(text, { binary: false });
  }

  /** Waits until n frames arrived (or the socket closed), at most ms. */
  async frameCount(n: number, ms = 5000): Promise<string[]> {
    const deadline = Date.now() + ms;
    while (this.frames.length < n && this.ws.readyState !== WebSocket.CLOSED && Date.now() < deadline) {
      await Promise.race([new Promise<void>((r) => this.#waiters.push(r)), sleep(deadline - Date.now())]);
    }
    return this.frames.slice(0, n);
  }

  /** How the stream ended, within ms (a hang fails the test instead of timing out the suite). */
  async end(ms = 5000): Promise<{ code: number; reason: string }> {
    const r = await Promise.race([this.closed, sleep(ms).then(() => undefined)]);
    if (!r) {
      this.ws.terminate();
      throw new Error(`stream did not close within ${ms} ms; frames: ${JSON.stringify(this.frames)}`);
    }
    return r;
  }
}
