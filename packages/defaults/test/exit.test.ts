// A stopped service's process ends by itself, promptly: nothing (listener, broker server, pooled
// connection, registry socket, selector watch, timer) holds the event loop once run() returns, so
// the exit never waits for run()'s process.exit safety net. Real child processes on the default stack.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./support/idle-service.mjs", import.meta.url));

/** Starts the idle service, waits until it serves, sends SIGTERM; resolves with what it printed. */
async function stopIdle(mode: "cold" | "warm") {
  const child = spawn(process.execPath, [script, mode], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      MICRO_MDNS_INTERFACE: "127.0.0.1",
      MICRO_SERVER_ADDRESS: "127.0.0.1:0",
      MICRO_BROKER_ADDRESS: "127.0.0.1:0",
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (stdout.includes("ready\n")) {
        clearInterval(poll);
        resolve();
      }
    }, 10);
    void exited.then(() => {
      clearInterval(poll);
      reject(new Error(`exited before ready: ${stderr}`));
    });
  });
  const signalled = performance.now();
  child.kill("SIGTERM");
  const hard = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const code = await exited;
  clearTimeout(hard);
  const afterSignal = performance.now() - signalled;
  const afterRun = Number(/^exit (\d+)$/m.exec(stdout)?.[1] ?? Number.NaN);
  return { code, stdout, stderr, afterSignal, afterRun };
}

describe("an idle service's process after SIGTERM", () => {
  for (const mode of ["cold", "warm"] as const) {
    it(`exits by itself within a few hundred ms (${mode})`, { timeout: 20_000 }, async () => {
      const r = await stopIdle(mode);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain("fallback");
      // nothing left holding the loop once run() returned
      expect(r.afterRun).toBeLessThan(250);
      // deregister, close, drain and exit: well under the second a lingering socket would add
      expect(r.afterSignal).toBeLessThan(750);
    });
  }
});
