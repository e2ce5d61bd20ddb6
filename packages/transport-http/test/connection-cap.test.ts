// Connections a listener holds, and a process at its file-descriptor limit. Over maxConnections (by
// default the descriptor limit less a tenth, at least 64) a new connection gets a go-micro 503 and
// is closed; that is logged once per burst at error level, and serving goes on as connections close.
// At the limit itself Node drops connections it cannot accept, silently, and keeps listening; EMFILE
// reported by the server is logged once per burst as well.
import { execFile, execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MicroError, type Socket, silentLogger } from "@micro/core";
import { afterEach, describe, expect, it } from "vitest";
import { reportAcceptError } from "../src/accept-errors.js";
import { BurstLog } from "../src/burst-log.js";
import { defaultMaxConnections, openFileLimit } from "../src/fd-limit.js";
import { HttpTransport } from "../src/index.js";
import {
  answerEach,
  cleanup,
  gotReply,
  listenHttp,
  onCleanup,
  rawConnect,
  recordingLogger,
  refusalBytes,
  rejection,
  selfSignedCert,
  sleep,
  text,
  untext,
} from "./helpers.js";

afterEach(cleanup);

const holder = fileURLToPath(new URL("./support/hold-connections.mjs", import.meta.url));
const hold = (address: string, count: number, ms: number) =>
  new Promise<{ open: number; answered: number; dropped: number; failed: number }>((resolve, reject) =>
    execFile(process.execPath, [holder, address, String(count), String(ms)], (err, stdout) =>
      err ? reject(err) : resolve(JSON.parse(stdout)),
    ),
  );
const req = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na";

describe("maxConnections", () => {
  it("over the cap: a go-micro 503 and close, logged once for the burst; served again once some close", async () => {
    const logger = recordingLogger();
    const { address, listener } = await listenHttp({ maxConnections: 5, logger });
    listener.accept((s: Socket) => void answerEach(s));
    const result = await hold(address, 40, 300);
    expect(result).toEqual({ open: 5, answered: 35, dropped: 0, failed: 0 });
    const errors = logger.lines.filter((l) => l.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toMatch(/5 connections open, the cap \(maxConnections 5\): refusing new ones/);
    await sleep(1100);
    expect(logger.lines.filter((l) => l.level === "info").map((l) => l.msg)).toEqual([
      expect.stringMatching(/refused 35 connections over the cap$/),
    ]);
    const raw = await rawConnect(address);
    raw.write(req);
    expect(await raw.take(gotReply(1).length)).toBe(gotReply(1));
  });

  it("what a refused peer reads", async () => {
    const { address, listener } = await listenHttp({ maxConnections: 1 });
    listener.accept((s: Socket) => void answerEach(s));
    const first = await rawConnect(address);
    first.write(req);
    await first.take(gotReply(1).length);
    const second = await rawConnect(address);
    await second.closed();
    expect(second.received.toString("latin1")).toBe(
      refusalBytes(new MicroError("go.micro.transport", "too many connections: try again later", 503)),
    );
  });

  it("a TLS listener over the cap closes the connection before the handshake", async () => {
    const pair = selfSignedCert();
    const { address, listener } = await listenHttp({ maxConnections: 1, tls: pair });
    listener.accept((s: Socket) => void answerEach(s));
    const client = new HttpTransport({ logger: silentLogger, tls: { insecureSkipVerify: true } });
    const first = await client.dial(address);
    onCleanup(() => first.close());
    await first.send({ header: {}, body: text("a") });
    expect(untext((await first.recv()).body)).toBe("got 1");
    const err = await rejection(client.dial(address));
    expect(err).toMatchObject({
      id: "go.micro.client.transport",
      detail: expect.stringMatching(/^tls handshake/),
    });
  });

  it("defaults to the open-file limit less a tenth of it (at least 64)", async () => {
    expect(defaultMaxConnections(1024)).toBe(921);
    expect(defaultMaxConnections(256)).toBe(192);
    expect(defaultMaxConnections(20_000)).toBe(18_000);
    expect(defaultMaxConnections(undefined)).toBe(0);
    const { transport } = await listenHttp();
    expect(transport.options.maxConnections).toBe(defaultMaxConnections(openFileLimit()));
  });
});

describe("accept errors", () => {
  it("EMFILE from the server: one error line per burst, then how many failed", async () => {
    const logger = recordingLogger();
    const burst = new BurstLog(logger, 50);
    const emfile = Object.assign(new Error("accept EMFILE"), { code: "EMFILE" });
    for (let i = 0; i < 100; i++) reportAcceptError(emfile, "127.0.0.1:1", burst, logger);
    expect(logger.lines).toEqual([
      { level: "error", msg: expect.stringMatching(/accept EMFILE: the process is out of file descriptors/) },
    ]);
    await sleep(100);
    expect(logger.lines[1]).toEqual({ level: "info", msg: expect.stringMatching(/100 accepts failed/) });
    reportAcceptError(emfile, "127.0.0.1:1", burst, logger);
    expect(logger.lines.filter((l) => l.level === "error")).toHaveLength(2);
    reportAcceptError(new Error("something else"), "127.0.0.1:1", burst, logger);
    expect(logger.lines.at(-1)).toEqual({ level: "error", msg: expect.stringMatching(/something else$/) });
    burst.stop();
  });

  const prlimit = (() => {
    try {
      execFileSync("prlimit", ["--version"]);
      return openFileLimit() !== undefined;
    } catch {
      return false;
    }
  })();

  it.skipIf(!prlimit)("at the real descriptor limit: the listener survives and serves again", async () => {
    const logger = recordingLogger();
    const { address, listener } = await listenHttp({ maxConnections: 0, logger });
    listener.accept((s: Socket) => void answerEach(s));
    const limit = openFileLimit()!;
    const inUse = readdirSync("/proc/self/fd").length;
    execFileSync("prlimit", [`--pid=${process.pid}`, `--nofile=${inUse + 20}:`]);
    let result: Awaited<ReturnType<typeof hold>>;
    try {
      result = await hold(address, 100, 300);
    } finally {
      execFileSync("prlimit", [`--pid=${process.pid}`, `--nofile=${limit}:`]);
    }
    // some were accepted, the rest dropped by Node at the limit; nothing crashed, nothing flooded
    expect(result.open).toBeGreaterThan(0);
    expect(result.open).toBeLessThan(100);
    expect(logger.lines.filter((l) => l.level === "error").length).toBeLessThanOrEqual(1);
    const raw = await rawConnect(address);
    raw.write(req);
    expect(await raw.take(gotReply(1).length)).toBe(gotReply(1));
  });
});
