// `micro services`: the http broker's pseudo-service reads as subscriptions, not as odd versions.
import { describe, expect, it } from "vitest";
import { versionsCell } from "../src/commands/services.js";

describe("micro services VERSIONS cell", () => {
  it("shows micro.http.broker's versions as broadcast and queue groups", () => {
    expect(versionsCell("micro.http.broker", ["ff.http.broadcast", "workers"])).toBe(
      "broadcast,queue:workers",
    );
    expect(versionsCell("micro.http.broker", ["ff.http.broadcast"])).toBe("broadcast");
  });

  it("leaves every other service's versions as registered", () => {
    expect(versionsCell("greeter", ["1.0.0", "ff.http.broadcast"])).toBe("1.0.0,ff.http.broadcast");
    expect(versionsCell("greeter", [])).toBe("-");
  });
});
