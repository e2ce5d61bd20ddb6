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

/** A subscriber's answer to a POST. */
export interface Answer {
  status: number;
  /** The start of the body of an answer that is not a 2xx (empty otherwise). */
  text: string;
}

const MAX_REASON = 1024;

/** Whether the subscriber took the message: go-micro's subscribers always answer 200, ours say so. */
export function taken(status: number): boolean {
  return status >= 200 && status < 300;
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

  /**
   * POSTs `body` to `node`; resolves with the answer once it is read, whatever its status (Go's
   * publisher ignores it; ours counts a refusal as a dropped message). Rejects when no answer came.
   */
  post(node: Node, body: Buffer, signal?: AbortSignal): Promise<Answer> {
    const url = nodeURL(node);
    const secure = url.startsWith("https:");
    const request = secure ? httpsRequest : httpRequest;
    const agent = secure ? this.#httpsAgent() : this.#httpAgent();
    return new Promise<Answer>((resolve, reject) => {
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
          const status = res.statusCode ?? 0;
          // a refusal's body says why (go-micro's error JSON); the rest is read and dropped
          let text = "";
          res.on("data", (chunk: Buffer) => {
            if (!taken(status) && text.length < MAX_REASON) text += chunk.toString("utf8");
          });
          res.on("error", reject);
          res.on("end", () => resolve({ status, text: text.slice(0, MAX_REASON) }));
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
