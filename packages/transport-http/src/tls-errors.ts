// A TLS dial that fails after the TCP connection is up failed in the handshake: most often the peer
// is a plaintext server, which answers the ClientHello with HTTP (or closes). Said the way Go says it,
// as a go-micro error, instead of OpenSSL's record-layer text.
import { MicroError } from "@micro/core";
import { CLIENT_ERROR_ID } from "./errors.js";

// OpenSSL's verdicts on a first record that is not TLS (an HTTP answer starts "HTTP/...").
const NOT_TLS = new Set([
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "ERR_SSL_PACKET_LENGTH_TOO_LONG",
  "ERR_SSL_HTTP_REQUEST",
  "ERR_SSL_RECORD_LENGTH_MISMATCH",
]);
const CLOSED = new Set(["ECONNRESET", "EPIPE"]);

export function handshakeError(err: Error & { code?: string }): MicroError {
  let detail: string;
  if (err.code !== undefined && NOT_TLS.has(err.code)) {
    detail = "tls: first record does not look like a TLS handshake (the server does not speak TLS)";
  } else if (err.code !== undefined && CLOSED.has(err.code)) {
    detail = "tls handshake: the server closed the connection (does it speak TLS?)";
  } else detail = `tls handshake: ${err.message}`;
  return new MicroError(CLIENT_ERROR_ID, detail, 500, undefined, { cause: err });
}
