import { describe, expect, it } from "vitest";
import { natsTLS } from "../src/index.js";

describe("natsTLS", () => {
  it("turns core's TLS options (strings, Buffers, arrays) into PEM text", () => {
    const out = natsTLS({
      ca: [Buffer.from("CA1"), "CA2"],
      cert: Buffer.from("CERT"),
      key: "KEY",
    });
    expect(out).toEqual({ ca: "CA1\nCA2", cert: "CERT", key: "KEY" });
  });
  it("skips verification only when asked, as go-micro's insecure default does", () => {
    expect(natsTLS({})).toEqual({});
    expect(natsTLS({ insecureSkipVerify: true })).toEqual({ rejectUnauthorized: false });
  });
});
