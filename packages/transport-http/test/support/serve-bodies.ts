// Serves N large request bodies sent at once by another process (test/support/post-bodies.mjs) and
// measures this process meanwhile: how much its RSS grew and the most the transport held.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Socket } from "@micro/core";
import type { HttpTransportOptions } from "../../src/index.js";
import { answerEach, listenHttp } from "../helpers.js";

const senders = fileURLToPath(new URL("./post-bodies.mjs", import.meta.url));

export async function serveBodies(count: number, bytes: number, options: HttpTransportOptions = {}) {
  const { transport, address, listener } = await listenHttp(options);
  listener.accept((s: Socket) => void answerEach(s));
  const before = process.memoryUsage.rss();
  let peak = before;
  let held = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    held = Math.max(held, transport.bodyBytesInFlight);
  }, 5);
  try {
    const replies = await new Promise<string[]>((resolve, reject) =>
      execFile(process.execPath, [senders, address, String(count), String(bytes)], (err, stdout) =>
        err ? reject(err) : resolve(JSON.parse(stdout) as string[]),
      ),
    );
    return { replies, growthMB: (peak - before) / 1e6, held };
  } finally {
    clearInterval(sample);
  }
}
