import { describe, expect, it } from "vitest";
import { normalizeServers, redact, splitCredentials } from "../src/index.js";

describe("normalizeServers", () => {
  it("follows go-micro: nats:// added, empty dropped, default nats://127.0.0.1:4222", () => {
    expect(normalizeServers(undefined)).toEqual(["nats://127.0.0.1:4222"]);
    expect(normalizeServers(["", " "])).toEqual(["nats://127.0.0.1:4222"]);
    expect(normalizeServers(["10.0.0.1:4222", "nats://a:1", "tls://b:2"])).toEqual([
      "nats://10.0.0.1:4222",
      "nats://a:1",
      "tls://b:2",
    ]);
  });
  it("splits comma-separated entries (one flag or env var) and drops repeats", () => {
    expect(normalizeServers(["127.0.0.1:1, 127.0.0.1:2", "nats://127.0.0.1:1"])).toEqual([
      "nats://127.0.0.1:1",
      "nats://127.0.0.1:2",
    ]);
  });
});

describe("credentials in server URLs", () => {
  it("moves user:pass or a token into options, as Go's client reads them", () => {
    expect(splitCredentials(["nats://u:p%40ss@a:1", "nats://x:y@b:2"])).toEqual({
      servers: ["nats://a:1", "nats://b:2"],
      credentials: { user: "u", pass: "p@ss" },
    });
    expect(splitCredentials(["nats://s3cret@a:1"]).credentials).toEqual({ token: "s3cret" });
    expect(splitCredentials(["nats://a:1"])).toEqual({ servers: ["nats://a:1"], credentials: {} });
  });
  it("redacts credentials for messages", () => {
    expect(redact("nats://u:p@a:1")).toBe("nats://a:1");
    expect(redact("tls://tok@a:1")).toBe("tls://a:1");
    expect(redact("nats://a:1")).toBe("nats://a:1");
  });
});
