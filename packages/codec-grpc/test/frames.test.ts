import { isMicroError } from "@micro/core";
import { findCodec } from "@micro/core/plugin-kit";
import { describe, expect, it } from "vitest";
import { grpcCodec, grpcFrame, grpcJsonCodec, MAX_MESSAGE_SIZE, splitGrpcFrames } from "../src/index.js";

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/ /g, ""), "hex"));
const show = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("gRPC frames", () => {
  it('frames Request{name: "John"} as 00000000060a044a6f686e', () => {
    expect(show(grpcFrame(hex("0a044a6f686e")))).toBe("00000000060a044a6f686e");
  });

  it("splits several frames, empty ones included", () => {
    const body = hex("00 00000006 0a044a6f686e 00 00000000 00 00000001 ff");
    expect(splitGrpcFrames(body).map(show)).toEqual(["0a044a6f686e", "", "ff"]);
    expect(splitGrpcFrames(new Uint8Array(0))).toEqual([]);
  });

  it("rejects a cut-short last frame when splitting", () => {
    expect(() => splitGrpcFrames(hex("00 00000000 00 0000"))).toThrow(/prefix truncated/);
  });

  it("refuses to encode a message over 4 MiB with a 413", () => {
    try {
      grpcFrame(new Uint8Array(MAX_MESSAGE_SIZE + 1));
      expect.unreachable();
    } catch (err) {
      expect(isMicroError(err)).toBe(true);
      expect((err as { code: number }).code).toBe(413);
      expect((err as Error).message).toMatch(/4194305 bytes exceeds the 4194304-byte maximum/);
    }
    expect(grpcFrame(new Uint8Array(MAX_MESSAGE_SIZE)).length).toBe(MAX_MESSAGE_SIZE + 5);
  });

  it("maps each Content-Type to the right variant whatever the registration order", () => {
    expect(findCodec("application/grpc")).toBe(grpcCodec);
    expect(findCodec("application/grpc+proto")).toBe(grpcCodec);
    expect(findCodec("application/grpc+json")).toBe(grpcJsonCodec);
  });
});
