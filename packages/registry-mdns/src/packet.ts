// Decoding a received packet without trusting its header. dns-packet decodes as many records as the
// header counts, and a record whose data runs past the end of the packet (a TXT record longer than
// what is left) turns its read offset into NaN, after which every remaining counted record
// "decodes" from nothing: a packet of a few hundred bytes claiming 64 000 records cost 40-85 ms and
// as many junk records (found by fuzzing; anyone on the link can send one to port 5353). Counts
// that cannot fit the packet are refused before decoding, a decode that ran off the end after.
import dnsPacket, { type DecodedPacket } from "dns-packet";

const HEADER = 12;
// the smallest question: the root name (1 byte), type and class; the smallest record adds TTL and
// data length
const MIN_QUESTION = 5;
const MIN_RECORD = 11;

/** The packet in `buf`; throws (a RangeError, or dns-packet's Error) when it is not one. */
export function decodePacket(buf: Buffer): DecodedPacket {
  if (buf.length < HEADER) throw new RangeError(`mdns: ${buf.length} bytes is shorter than a DNS header`);
  const questions = buf.readUInt16BE(4);
  const records = buf.readUInt16BE(6) + buf.readUInt16BE(8) + buf.readUInt16BE(10);
  if (HEADER + questions * MIN_QUESTION + records * MIN_RECORD > buf.length) {
    throw new RangeError(
      `mdns: the header counts ${questions} questions and ${records} records, more than ${buf.length} bytes can hold`,
    );
  }
  const packet = dnsPacket.decode(buf);
  const used = dnsPacket.decode.bytes;
  if (!Number.isInteger(used) || used > buf.length)
    throw new RangeError("mdns: a record runs past the end of the packet");
  return packet;
}
