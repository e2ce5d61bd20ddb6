// Delivery of one envelope to one subscriber node: the POST go-micro's publisher makes, over
// keep-alive connections because a busy topic would otherwise open a socket per message.
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Node, TLSOptions } from "@micro/core";

export interface SenderOptions {
  /** Client-side TLS: `ca` to trust, `insecureSkipVerify` to skip verification. */
  tls?: TLSOptions | undefined;
  /** ms before a POST is abandoned. */
  timeout: number;
  /** Connections kept per subscriber address. */
  maxSockets: number;
}

/** Go's url.QueryEscape: only A-Z a-z 0-9 - _ . ~ stay, space becomes `+`. */
export function goQueryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/** Where go-micro POSTs a message for `node`: https iff the node registered as secure. */
export function nodeURL(node: Node): string {
  const scheme = node.metadata.secure === "true" ? "https" : "http";
  return `${scheme}://${node.address}/?id=${goQueryEscape(node.id)}`;
}

// go-micro dials https subscribers with InsecureSkipVerify unless configured otherwise (their
// certificates are often self-signed); verify only when asked to, or when given a CA to verify with.
function verifies(tls: TLSOptions | undefined): boolean {
  if (tls?.insecureSkipVerify !== undefined) return !tls.insecureSkipVerify;
  return !!tls?.ca;
}

export class Sender {
  readonly #options: SenderOptions;
  #http: HttpAgent | undefined;
  #https: HttpsAgent | undefined;

  constructor(options: SenderOptions) {
    this.#options = options;
  }

  /** POSTs `body` to `node`; resolves once the answer is read, whatever its status (Go ignores it too). */
  post(node: Node, body: Buffer, signal?: AbortSignal): Promise<void> {
    const url = nodeURL(node);
    const secure = url.startsWith("https:");
    const request = secure ? httpsRequest : httpRequest;
    const agent = secure ? this.#httpsAgent() : this.#httpAgent();
    return new Promise<void>((resolve, reject) => {
      const req = request(
        url,
        {
          method: "POST",
          agent,
          headers: { "Content-Type": "application/json", "Content-Length": body.length },
          timeout: this.#options.timeout,
          ...(signal ? { signal } : {}),
        },
        (res) => {
          res.on("error", reject);
          res.on("end", () => resolve());
          res.resume();
        },
      );
      req.on("timeout", () =>
        req.destroy(new Error(`POST ${url} timed out after ${this.#options.timeout} ms`)),
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  /** Drops pooled connections; later posts open new ones. */
  close(): void {
    this.#http?.destroy();
    this.#https?.destroy();
    this.#http = undefined;
    this.#https = undefined;
  }

  #httpAgent(): HttpAgent {
    this.#http ??= new HttpAgent({ keepAlive: true, maxSockets: this.#options.maxSockets });
    return this.#http;
  }

  #httpsAgent(): HttpsAgent {
    const tls = this.#options.tls;
    this.#https ??= new HttpsAgent({
      keepAlive: true,
      maxSockets: this.#options.maxSockets,
      rejectUnauthorized: verifies(tls),
      ...(tls?.ca ? { ca: tls.ca } : {}),
      ...(tls?.servername ? { servername: tls.servername } : {}),
    });
    return this.#https;
  }
}
