// Two separate processes discover each other over mdns (pinned to loopback), then call, stream and
// publish on go-micro's default stack.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, runClient, start } from "./processes.js";

let greeter: Running;

beforeAll(async () => {
  greeter = start("greeter.js");
  await greeter.waitFor(/registered greeter/);
}, 20_000);

afterAll(() => greeter.stop());

describe("greeter and client in two processes over mdns", () => {
  it("discovers, calls, streams, gets a MicroError and publishes", async () => {
    const { code, result, output } = await runClient();
    expect(code, output).toBe(0);
    expect(result.call).toBe("Hello John (via greeter.client)");
    expect(result.stream).toEqual([0, 1, 2, 3, 4]);
    expect(result.bidi).toEqual(["ONE", "TWO", "THREE"]);
    expect(result.error).toEqual({
      id: "greeter",
      code: 400,
      detail: "name is required",
      status: "Bad Request",
    });
    await greeter.waitFor(/event \{"id":"evt-1","text":"hello subscribers"\} topic=greeter.events/);
  }, 30_000);

  it("deregisters on SIGTERM and exits cleanly", async () => {
    expect(await greeter.stop()).toBe(0);
    expect(greeter.lines.some((l) => /greeter stopped/.test(l))).toBe(true);
  }, 20_000);
});
