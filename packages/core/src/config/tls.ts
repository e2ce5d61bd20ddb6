// The TLS flags turned into the TLSOptions every plugin gets. As in go-micro v6, certificates are
// verified by default (against --tls_ca_file, else the system's CA store); MICRO_TLS_INSECURE
// (--tls_insecure) opts out. v5's MICRO_TLS_SECURE keeps its meaning: `true` asks for verified TLS
// (with no file given: TLS verified against the system's CA store, instead of plaintext), `false`
// for none (the same as --tls_insecure).
import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { MicroErrorCode, PluginError } from "../plugin/plugin-error.js";
import type { TLSOptions } from "../transport.js";
import type { Config } from "./core-flags.js";

type TLSConfig = Pick<
  Config,
  "tls_cert_file" | "tls_key_file" | "tls_ca_file" | "tls_secure" | "tls_insecure"
>;

function invalid(message: string): PluginError {
  return new PluginError(MicroErrorCode.InvalidOption, message);
}

function read(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
    throw invalid(`--${flag}: cannot read ${JSON.stringify(path)}: ${why}`);
  }
}

/** Whether certificates go unverified: --tls_insecure, or v5's --tls_secure=false. */
export function skipsVerification(config: TLSConfig): boolean {
  return config.tls_insecure === true || config.tls_secure === false;
}

/**
 * The TLS options of a service's plugins, or undefined for plaintext: TLS is on when a certificate,
 * key or CA file is given, or --tls_secure=true. Throws a one-line PluginError on contradictory
 * flags, a certificate without its key, or files that cannot be read or used.
 */
export function tlsFromConfig(config: TLSConfig): TLSOptions | undefined {
  const { tls_cert_file: cert, tls_key_file: key, tls_ca_file: ca } = config;
  if (config.tls_secure === true && config.tls_insecure === true)
    throw invalid(
      "--tls_secure=true and --tls_insecure=true contradict each other: verify certificates, or not",
    );
  if (!cert && !key && !ca && config.tls_secure !== true) return undefined;
  if (!!cert !== !!key)
    throw invalid(
      `--tls_cert_file and --tls_key_file go together: only --${cert ? "tls_cert_file" : "tls_key_file"} was given`,
    );
  const tls: TLSOptions = { insecureSkipVerify: skipsVerification(config) };
  if (cert) tls.cert = read("tls_cert_file", cert);
  if (key) tls.key = read("tls_key_file", key);
  if (ca) {
    tls.ca = read("tls_ca_file", ca);
    // Node takes a CA bundle without any certificate in it silently, and then trusts nothing
    if (!tls.ca.includes("-----BEGIN CERTIFICATE-----"))
      throw invalid(`--tls_ca_file: no PEM certificate in ${JSON.stringify(ca)}`);
  }
  try {
    // what the transports would find out at their first listen or dial, found at start instead
    createSecureContext({ cert: tls.cert, key: tls.key, ca: tls.ca });
  } catch (err) {
    const flags =
      ca && !cert
        ? "--tls_ca_file"
        : ca
          ? "--tls_cert_file, --tls_key_file, --tls_ca_file"
          : "--tls_cert_file, --tls_key_file";
    throw invalid(`${flags}: not usable: ${(err as Error).message}`);
  }
  return tls;
}

/** What a serving service is told at start about its TLS settings: warnings, one line each. */
export function tlsWarnings(config: TLSConfig): string[] {
  const out: string[] = [];
  if (config.tls_secure === true && !config.tls_cert_file)
    out.push(
      "TLS: calls and connections out use TLS, but without --tls_cert_file and --tls_key_file this " +
        "service's listener serves plaintext: peers dialing it with TLS cannot reach it",
    );
  const on = config.tls_cert_file || config.tls_key_file || config.tls_ca_file || config.tls_secure === true;
  if (on && skipsVerification(config))
    out.push(
      "TLS: certificate verification is off (--tls_insecure / MICRO_TLS_INSECURE, or --tls_secure=false): " +
        "peers are not authenticated; use it for self-signed development certificates only",
    );
  return out;
}
