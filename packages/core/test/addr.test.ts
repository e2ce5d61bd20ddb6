import { describe, expect, it } from "vitest";
import { advertiseAddress, joinHostPort, splitHostPort } from "../src/plugin-kit.js";

describe("addresses", () => {
  it("keeps concrete host:port and non host:port addresses (NATS subjects) as they are", () => {
    expect(advertiseAddress("127.0.0.1:8080")).toBe("127.0.0.1:8080");
    expect(advertiseAddress("_INBOX.abc123")).toBe("_INBOX.abc123");
    expect(advertiseAddress("0.0.0.0:9000")).toMatch(/:9000$/);
    expect(advertiseAddress("0.0.0.0:9000")).not.toMatch(/^0\.0\.0\.0/);
  });
  it("splits and joins IPv6", () => {
    expect(splitHostPort("[::1]:80")).toEqual({ host: "::1", port: 80 });
    expect(joinHostPort("::1", 80)).toBe("[::1]:80");
  });
});
