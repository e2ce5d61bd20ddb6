import { findCodec, getPlugin } from "@micro/core";
import { describe, expect, it } from "vitest";
import { DEFAULT_PLUGINS } from "../src/index.js";

describe("@micro/defaults", () => {
  it("registers go-micro's default stack on import", () => {
    expect(getPlugin("registry", DEFAULT_PLUGINS.registry)).toBeDefined();
    expect(getPlugin("registry", "memory")).toBeDefined();
    expect(getPlugin("transport", DEFAULT_PLUGINS.transport)).toBeDefined();
    expect(getPlugin("broker", DEFAULT_PLUGINS.broker)).toBeDefined();
    expect(getPlugin("broker", "memory")).toBeDefined();
    expect(getPlugin("selector", DEFAULT_PLUGINS.selector)).toBeDefined();
    expect(getPlugin("selector", "roundrobin")).toBeDefined();
    for (const ct of DEFAULT_PLUGINS.codecs) expect(findCodec(ct)?.contentTypes).toContain(ct);
  });
});
