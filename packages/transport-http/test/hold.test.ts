// A dialed connection can stop holding the process (core's pool does so while it is idle) and hold
// it again, and still carries calls either way.
import { holdProcess } from "@micro/core/plugin-kit";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, listenHttp, onCleanup, text, untext } from "./helpers.js";

afterEach(cleanup);

/** TCP connections that keep the event loop alive (unref'd ones are not counted). */
const holding = () => process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap").length;

describe("ClientSocket ref/unref", () => {
  it("stops and resumes holding the process", async () => {
    const { transport, address, next } = await listenHttp();
    const client = await transport.dial(address);
    onCleanup(() => client.close());
    const held = holding();
    holdProcess(client, false);
    expect(holding()).toBe(held - 1);
    await client.send({ header: { N: "1" }, body: text("idle") });
    const server = await next();
    expect(untext((await server.recv()).body)).toBe("idle");
    holdProcess(client, true);
    expect(holding()).toBe(held);
  });
});
