// gRPC's length-prefixed messages: 1 byte compressed flag, 4-byte big-endian length, the message.
import { MicroError } from "@micro/core";

const ID = "go.micro.codec";

/** go-micro's codec/grpc MaxMessageSize (and grpc-go's default receive limit). */
export const MAX_MESSAGE_SIZE = 4 * 1024 * 1024;
const PREFIX = 5;

/** One uncompressed frame around `message`; a 413 MicroError beyond MAX_MESSAGE_SIZE. */
export function grpcFrame(message: Uint8Array): Uint8Array {
  if (message.length > MAX_MESSAGE_SIZE) {
    throw MicroError.tooLarge(
      ID,
      `grpc: message of ${message.length} bytes exceeds the ${MAX_MESSAGE_SIZE}-byte maximum`,
    );
  }
  const out = new Uint8Array(PREFIX + message.length);
  new DataView(out.buffer).setUint32(1, message.length); // byte 0 stays 0: not compressed
  out.set(message, PREFIX);
  return out;
}

function bad(detail: string): MicroError {
  return MicroError.badRequest(ID, `grpc: ${detail}`);
}

/** The message of the frame at `at`, and where the next frame starts. */
function readFrame(data: Uint8Array, at: number): { message: Uint8Array; next: number } {
  const left = data.length - at;
  if (left < PREFIX) throw bad(`frame prefix truncated (${left} of ${PREFIX} bytes)`);
  const flag = data[at]!;
  // compression needs a grpc-encoding negotiated on the connection, which go-micro never does
  if (flag === 1) throw bad("compressed messages are not supported (no grpc-encoding was negotiated)");
  if (flag !== 0) throw bad(`invalid compressed flag ${flag} (not a gRPC frame)`);
  const length = new DataView(data.buffer, data.byteOffset + at + 1, 4).getUint32(0);
  if (length > MAX_MESSAGE_SIZE) {
    throw bad(`message of ${length} bytes exceeds the ${MAX_MESSAGE_SIZE}-byte maximum`);
  }
  if (left - PREFIX < length) throw bad(`frame says ${length} bytes but only ${left - PREFIX} follow`);
  const start = at + PREFIX;
  return { message: data.subarray(start, start + length), next: start + length };
}

/** The message of a body holding exactly one frame; a 400 MicroError otherwise. */
export function readGrpcFrame(data: Uint8Array): Uint8Array {
  const { message, next } = readFrame(data, 0);
  if (next !== data.length) {
    throw bad(`${data.length - next} bytes after the first frame (use splitGrpcFrames for several)`);
  }
  return message;
}

/** The messages of a body holding any number of frames (a streamed gRPC body). */
export function splitGrpcFrames(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < data.length; ) {
    const { message, next } = readFrame(data, at);
    out.push(message);
    at = next;
  }
  return out;
}
