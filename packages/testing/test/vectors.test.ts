import { encodeService, parseService } from "@micro/core/plugin-kit";
import { describe, expect, it } from "vitest";
import { GO_GREETER_ENDPOINT_JSON, GO_GREETER_JSON, goGreeter } from "../src/vectors.js";

describe("go-micro greeter vectors", () => {
  it("are one record: core writes Go's JSON of it and reads it back", () => {
    expect(encodeService(goGreeter())).toBe(GO_GREETER_JSON);
    expect(parseService(GO_GREETER_JSON)).toEqual(goGreeter());
    expect(GO_GREETER_JSON).toContain(`"endpoints":[${GO_GREETER_ENDPOINT_JSON}]`);
  });

  it("hands out a fresh copy each time", () => {
    const a = goGreeter();
    a.nodes[0]!.metadata.extra = "1";
    expect(goGreeter().nodes[0]!.metadata.extra).toBeUndefined();
  });
});
