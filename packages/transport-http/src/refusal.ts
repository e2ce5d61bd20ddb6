// The short reply that refuses a request (bad frame, too large, too slow) before the connection
// closes: the status of the go-micro error, which travels in `Micro-Error` and as the body, so a Go
// client and a plain HTTP client both learn why.
import type { MicroError } from "@micro/core";

export function refusal(e: MicroError): string {
  const json = e.toString();
  return (
    `HTTP/1.1 ${e.code} ${e.status}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
    `Content-Type: application/json\r\nMicro-Error: ${json}\r\n\r\n${json}`
  );
}
