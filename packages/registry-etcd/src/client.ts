// Builds the etcd3 client with the behaviour go-micro users expect from clientv3: a per-call
// deadline (Go's registry Timeout, 5 s), auth from ETCD_USERNAME/ETCD_PASSWORD, TLS from the
// service's TLS options, and a bounded retry with backoff so an unreachable etcd fails within
// seconds with a clear error instead of hanging or retrying forever.
import type { TLSOptions } from "@micro/core";
import { ExponentialBackoff, handleWhen, type IBackoff, noop, retry } from "cockatiel";
import { Etcd3, type IOptions, isRecoverableError } from "etcd3";
import { isTooLarge } from "./unavailable.js";

export interface ClientSettings {
  hosts: string[];
  timeout: number;
  retries: number;
  username?: string;
  password?: string;
  tls?: TLSOptions;
}

type Pem = string | Buffer | readonly (string | Buffer | { pem: string | Buffer })[] | undefined;

function pemBuffer(v: Pem | unknown): Buffer | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string" || Buffer.isBuffer(v)) return Buffer.from(v);
  if (Array.isArray(v)) {
    const parts = v
      .map((x) => pemBuffer(typeof x === "object" && x && "pem" in x ? x.pem : x))
      .filter((x) => !!x);
    return parts.length ? Buffer.concat(parts) : undefined;
  }
  return undefined;
}

export function createClient(s: ClientSettings): Etcd3 {
  const options: IOptions = {
    hosts: s.hosts,
    dialTimeout: s.timeout,
    // streams (watch, keep-alive) live for the registry's lifetime; unary calls get Go's deadline
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + s.timeout }),
    faultHandling: {
      // no per-host circuit breaker: its "breaker open" errors would hide the real cause
      host: () => noop,
      // a too-large answer is "recoverable" to etcd3, but asking again only downloads it again
      global: retry(
        handleWhen((err) => isRecoverableError(err) && !isTooLarge(err)),
        {
          maxAttempts: s.retries,
          backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1000 }),
        },
      ),
      // etcd3 calls .next() on this before first use, so it takes the factory (as its own default
      // does) although its type names the backoff state
      watchBackoff: new ExponentialBackoff({
        initialDelay: 100,
        maxDelay: 2000,
      }) as unknown as IBackoff<unknown>,
    },
  };
  if (s.username) options.auth = { username: s.username, password: s.password ?? "" };
  if (s.tls) {
    const rootCertificate = pemBuffer(s.tls.ca);
    const privateKey = pemBuffer(s.tls.key);
    const certChain = pemBuffer(s.tls.cert);
    // Without any PEM material the client uses the system roots for https:// hosts.
    if (rootCertificate || privateKey || certChain) {
      // grpc's createSsl accepts a null root (system roots) next to a client certificate
      options.credentials = { rootCertificate: rootCertificate as Buffer, privateKey, certChain };
    }
  }
  return new Etcd3(options);
}
