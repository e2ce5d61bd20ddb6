// The reader protobuf bodies are decoded with. protobufjs' plain Reader decodes UTF-8 in
// JavaScript (for a 64 KiB string that cost more than the rest of the call together); its Buffer
// reader decodes natively but silently truncates a string that runs past the end of the body,
// where Go reports unexpected EOF. This one keeps the plain reader's bounds check and decodes long
// strings natively.
import protobuf from "protobufjs";

// Below this many bytes the JavaScript decoder beats the cost of calling into the native one.
const NATIVE_FROM = 64;

export class BodyReader extends protobuf.Reader {
  #text: Buffer | undefined;

  override string(): string {
    const length = this.uint32();
    const start = this.pos;
    const end = start + length;
    if (end > this.len) throw new RangeError(`index out of range: ${start} + ${length} > ${this.len}`);
    this.pos = end;
    if (length < NATIVE_FROM) return protobuf.util.utf8.read(this.buf, start, end);
    this.#text ??= Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.#text.toString("utf8", start, end);
  }
}
