// The names of the services on live pods, read page by page (`limit` + `continue`), keeping only
// each record's name: a list needs no endpoint schemas, and no page holds the whole mesh. A continue
// token that expired meanwhile (410, after 5–15 min) starts the listing over once.
//
// The pages are fetched with the kubeconfig's own connection settings (server, CA, client
// certificate, token or exec credentials, proxy: KubeConfig.applyToHTTPSOptions, as the client's
// watch and exec do) and parsed as plain JSON: the generated client turns every pod into model
// objects field by field, which at 20,000 pods costs more than fetching them.
import type { IncomingMessage } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { ANNOTATION_PREFIX } from "./names.js";
import { isLive, type PodLike } from "./pods.js";

export interface PodPage {
  items?: PodLike[] | null;
  metadata?: { continue?: string };
}

/** An error answer of the API server; `code` is its HTTP status (410: the continue token expired). */
export class ApiStatusError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiStatusError";
  }
}

/** The service names on the live pods matching `selector`, sorted and unique. */
export async function listNames(
  kc: KubeConfig,
  namespace: string,
  selector: string,
  pageSize: number,
  timed: <T>(what: string, p: Promise<T>) => Promise<T>,
  logger: { warn(msg: string, ...args: unknown[]): void },
): Promise<string[]> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("kubernetes registry: the kubeconfig has no current cluster");
  const base = new URL(
    `${cluster.server.replace(/\/+$/, "")}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
  );
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  try {
    for (let attempt = 0; ; attempt++) {
      const names = new Set<string>();
      let token: string | undefined;
      try {
        do {
          const url = new URL(base);
          url.searchParams.set("labelSelector", selector);
          url.searchParams.set("limit", String(pageSize));
          if (token) url.searchParams.set("continue", token);
          const page = await timed(`listing pods (${selector})`, getJSON<PodPage>(url, opts));
          for (const pod of page.items ?? []) addNames(pod, names);
          token = page.metadata?.continue || undefined;
        } while (token);
        return [...names].sort();
      } catch (err) {
        if (attempt > 0 || !token || !(err instanceof ApiStatusError && err.code === 410)) throw err;
        logger.warn("kubernetes registry: the pod list's continue token expired; listing again");
      }
    }
  } finally {
    (opts.agent as { destroy?: () => void } | undefined)?.destroy?.();
  }
}

function addNames(pod: PodLike, names: Set<string>): void {
  if (!isLive(pod)) return;
  for (const [key, value] of Object.entries(pod.metadata?.annotations ?? {})) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    // Go unmarshals the record and keeps its name; a damaged or foreign annotation is skipped
    try {
      const name = (JSON.parse(value) as { name?: unknown } | null)?.name;
      if (typeof name === "string" && name) names.add(name);
    } catch {
      // skipped
    }
  }
}

function getJSON<T>(url: URL, opts: RequestOptions): Promise<T> {
  const send = url.protocol === "http:" ? httpRequest : httpsRequest;
  return new Promise<T>((resolve, reject) => {
    const req = send(
      url,
      { ...opts, method: "GET", headers: { ...opts.headers, Accept: "application/json" } },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const code = res.statusCode ?? 0;
          if (code < 200 || code >= 300) {
            let detail = text.trim();
            try {
              detail = (JSON.parse(text) as { message?: string }).message ?? detail;
            } catch {
              // not a Status body
            }
            reject(new ApiStatusError(code, `kubernetes registry: listing pods: HTTP ${code}: ${detail}`));
            return;
          }
          try {
            resolve(JSON.parse(text) as T);
          } catch (err) {
            reject(new Error(`kubernetes registry: listing pods: not JSON: ${(err as Error).message}`));
          }
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}
