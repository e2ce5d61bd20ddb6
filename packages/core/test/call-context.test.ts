// The lazily built unary Context: the signal still aborts at the caller's deadline and on abort(),
// whenever it is first read, and metadata carries the headers plus Local/Remote.
import { describe, expect, it } from "vitest";
import { silentLogger } from "../src/index.js";
import { callContext } from "../src/server/call-context.js";

const socket = { local: "127.0.0.1:1", remote: "127.0.0.1:2" };
const timeoutHeader = (ms: number) => ({ Timeout: String(ms * 1e6), "X-From": "test" });

describe("callContext", () => {
  it("aborts the signal at the caller's deadline once someone listens", async () => {
    const call = callContext("svc", "A.B", timeoutHeader(30), socket, silentLogger);
    const { ctx } = call;
    expect(ctx.deadline).toBeGreaterThan(Date.now());
    const signal = ctx.signal;
    expect(signal.aborted).toBe(false);
    await new Promise((r) => signal.addEventListener("abort", r, { once: true }));
    expect(signal.reason).toMatchObject({ code: 408, detail: "deadline exceeded" });
    call.done();
  });

  it("gives an already aborted signal when first read after the deadline", async () => {
    const { ctx } = callContext("svc", "A.B", timeoutHeader(5), socket, silentLogger);
    await new Promise((r) => setTimeout(r, 20));
    expect(ctx.signal.aborted).toBe(true);
  });

  it("abort() reaches the signal whether it was read before or after", () => {
    const before = callContext("svc", "A.B", {}, socket, silentLogger);
    const s = before.ctx.signal;
    before.abort(new Error("gone"));
    expect(s.aborted).toBe(true);
    const after = callContext("svc", "A.B", {}, socket, silentLogger);
    after.abort(new Error("gone"));
    expect(after.ctx.signal.reason).toEqual(new Error("gone"));
  });

  it("done() stops the deadline timer", async () => {
    const call = callContext("svc", "A.B", timeoutHeader(10), socket, silentLogger);
    const { ctx } = call;
    const s = ctx.signal;
    call.done();
    await new Promise((r) => setTimeout(r, 30));
    expect(s.aborted).toBe(false);
  });

  it("has headers and socket addresses in metadata, also after a spread", () => {
    const { ctx } = callContext("svc", "A.B", timeoutHeader(1000), socket, silentLogger);
    const copy = { ...ctx };
    expect(copy.metadata.get("x-from")).toBe("test");
    expect(copy.metadata.get("Remote")).toBe("127.0.0.1:2");
    expect(copy.signal).toBe(ctx.signal);
    expect(ctx.endpoint).toBe("A.B");
    expect(callContext("svc", "A.B", {}, socket, silentLogger).ctx.deadline).toBeUndefined();
  });
});
