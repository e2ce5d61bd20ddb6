// core's TLSOptions (Node SecureContextOptions) to the NATS client's tls option, which takes PEM text.
import type { TLSOptions } from "@micro/core";
import type { NodeConnectionOptions } from "@nats-io/transport-node";

const pem = (v: unknown): string | undefined => {
  if (typeof v === "string") return v;
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  if (Array.isArray(v))
    return (
      v
        .map(pem)
        .filter((x) => x !== undefined)
        .join("\n") || undefined
    );
  return undefined;
};

export function natsTLS(tls: TLSOptions): NonNullable<NodeConnectionOptions["tls"]> {
  const out: NonNullable<NodeConnectionOptions["tls"]> = {};
  const ca = pem(tls.ca);
  const cert = pem(tls.cert);
  const key = pem(tls.key);
  if (ca) out.ca = ca;
  if (cert) out.cert = cert;
  if (key) out.key = key;
  // go-micro dials TLS without verifying the server unless MICRO_TLS_SECURE=true
  if (tls.insecureSkipVerify) out.rejectUnauthorized = false;
  return out;
}
