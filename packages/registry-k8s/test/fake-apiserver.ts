// A stand-in for the Kubernetes API server, implementing exactly what the registry uses: pods in
// namespaces, list with labelSelector (equality, inequality, existence) and in pages (limit and
// continue, with 410 for an expired continue token), get, strategic-merge PATCH
// of metadata (null deletes), watch streams with resourceVersion and 410 for compacted versions,
// and Status error bodies. It also records every request so tests can check the exact wire bytes.
// It is NOT a real API server: no admission, no field managers, no list merge keys.
import { once } from "node:events";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { selfSignedCert } from "@micro/testing/helpers";

export interface FakePod {
  apiVersion: "v1";
  kind: "Pod";
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec: Record<string, unknown>;
  status: { phase: string };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  rv: number;
  pod: FakePod;
  /** The pod before the change (for selector transitions). */
  before: FakePod | undefined;
}

interface Stream {
  ns: string;
  selector: Requirement[];
  res: ServerResponse;
}

type Requirement = { key: string; op: "=" | "!=" | "exists" | "!exists"; value?: string };

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  /** When set, requests without `Authorization: Bearer <token>` get 401. */
  token: string | undefined;
  /** Called before every (non-watch) list is answered, with its URL: tests change state between pages. */
  onList: ((url: URL) => void) | undefined;
  readonly #pods = new Map<string, FakePod>(); // ns/name
  readonly #history: WatchEvent[] = [];
  readonly #streams = new Set<Stream>();
  #rv = 1000;
  /** Events at or below this version are forgotten (watching from older gets 410 Gone). */
  #compacted = 0;
  /** Continue tokens issued before this version get 410 Expired. */
  #continueFloor = 0;
  #sorted: { key: string; items: FakePod[] } | undefined;
  #server: Server | undefined;
  url = "";
  #keys: { key: string; cert: string } | undefined;
  /** The server's self-signed certificate (PEM), trusted through the kubeconfig like a cluster CA. */
  ca = "";

  // The client refuses plain http with a bearer token, as it should: serve https like a real cluster.
  async start(port = 0): Promise<this> {
    const { key, cert } = this.#keys ?? selfSignedCert();
    this.#keys = { key, cert };
    this.ca = cert;
    this.#server = createServer({ key, cert }, (req, res) => void this.#handle(req, res));
    this.#server.listen(port, "127.0.0.1");
    await once(this.#server, "listening");
    this.url = `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.closeWatches();
    this.#server?.closeAllConnections();
    await new Promise((r) => this.#server?.close(r));
  }

  /** Ends every open watch stream, as the API server does at its watch timeout. */
  closeWatches(): void {
    for (const s of this.#streams) s.res.end();
    this.#streams.clear();
  }

  /** Sends every open stream the 410 ERROR event a real server sends when a watch falls too far behind. */
  expireWatches(): void {
    this.compact();
    for (const s of this.#streams) {
      s.res.write(
        `${JSON.stringify({ type: "ERROR", object: statusBody(410, "Expired", "too old resource version") })}\n`,
      );
      s.res.end();
    }
    this.#streams.clear();
  }

  /** Makes every continue token issued so far expired (410), as a real server's do after 5–15 min. */
  expireContinueTokens(): void {
    this.#continueFloor = ++this.#rv;
  }

  /** Forgets the event history, so a watch from any earlier version gets 410 Gone. */
  compact(): void {
    this.#compacted = this.#rv;
    this.#history.length = 0;
  }

  /** A kubeconfig (YAML is a JSON superset) that points at this server with a token. */
  kubeconfig(namespace = "default"): string {
    return JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "fake",
          cluster: {
            server: this.url,
            "certificate-authority-data": Buffer.from(this.ca).toString("base64"),
          },
        },
      ],
      users: [{ name: "fake", user: { token: this.token ?? "fake-token" } }],
      contexts: [{ name: "fake", context: { cluster: "fake", user: "fake", namespace } }],
      "current-context": "fake",
    });
  }

  // ---- state, for tests ---------------------------------------------------------------------

  addPod(
    namespace: string,
    name: string,
    init: { phase?: string; labels?: Record<string, string> } = {},
  ): FakePod {
    const pod: FakePod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        namespace,
        uid: `uid-${name}`,
        resourceVersion: "",
        creationTimestamp: new Date().toISOString(),
        ...(init.labels ? { labels: { ...init.labels } } : {}),
      },
      spec: { containers: [{ name: "app", image: "app:latest" }] },
      status: { phase: init.phase ?? "Running" },
    };
    this.#commit("ADDED", pod, undefined);
    return this.pod(namespace, name)!;
  }

  pod(namespace: string, name: string): FakePod | undefined {
    const p = this.#pods.get(`${namespace}/${name}`);
    return p ? structuredClone(p) : undefined;
  }

  /** Sets (or with null removes) annotations, as another client (kubectl annotate) would. */
  annotate(namespace: string, name: string, annotations: Record<string, string | null>): void {
    this.#mutate(namespace, name, (p) => {
      p.metadata = mergePatch(p.metadata, { annotations }) as FakePod["metadata"];
    });
  }

  setPhase(namespace: string, name: string, phase: string): void {
    this.#mutate(namespace, name, (p) => {
      p.status.phase = phase;
    });
  }

  /** Graceful deletion: first a deletionTimestamp (MODIFIED), then gone (DELETED). */
  deletePod(namespace: string, name: string, graceful = true): void {
    if (graceful) {
      this.#mutate(namespace, name, (p) => {
        p.metadata.deletionTimestamp = new Date().toISOString();
      });
    }
    const pod = this.#pods.get(`${namespace}/${name}`);
    if (!pod) return;
    this.#pods.delete(`${namespace}/${name}`);
    this.#commit("DELETED", structuredClone(pod), pod, false);
  }

  #mutate(ns: string, name: string, f: (p: FakePod) => void): FakePod | undefined {
    const cur = this.#pods.get(`${ns}/${name}`);
    if (!cur) return undefined;
    const next = structuredClone(cur);
    f(next);
    this.#commit("MODIFIED", next, cur);
    return next;
  }

  #commit(type: WatchEvent["type"], pod: FakePod, before: FakePod | undefined, store = true): void {
    const rv = ++this.#rv;
    pod.metadata.resourceVersion = String(rv);
    if (store) this.#pods.set(`${pod.metadata.namespace}/${pod.metadata.name}`, pod);
    const ev: WatchEvent = { type, rv, pod: structuredClone(pod), before: before && structuredClone(before) };
    this.#history.push(ev);
    for (const s of this.#streams) this.#send(s, ev);
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    this.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    const url = new URL(req.url ?? "/", "http://x");
    if (this.token && req.headers.authorization !== `Bearer ${this.token}`) {
      status(res, 401, "Unauthorized", "Unauthorized");
      return;
    }
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/?([^/]*)$/.exec(url.pathname);
    if (!m) {
      status(res, 404, "NotFound", "the server could not find the requested resource");
      return;
    }
    const ns = decodeURIComponent(m[1]!);
    const name = decodeURIComponent(m[2] ?? "");
    if (!name && req.method === "GET") {
      this.#list(ns, url, res);
      return;
    }
    if (name && req.method === "GET") {
      this.#get(ns, name, res);
      return;
    }
    if (name && req.method === "PATCH") {
      this.#patch(ns, name, req, body, res);
      return;
    }
    return status(
      res,
      405,
      "MethodNotAllowed",
      `the server does not allow this method on the requested resource`,
    );
  }

  #list(ns: string, url: URL, res: ServerResponse): void {
    let selector: Requirement[];
    try {
      selector = parseSelector(url.searchParams.get("labelSelector") ?? "");
    } catch (err) {
      status(res, 400, "BadRequest", (err as Error).message);
      return;
    }
    if (url.searchParams.get("watch") === "true") {
      this.#watch(ns, selector, url, res);
      return;
    }
    this.onList?.(url);
    // the matching pods in name order, computed once per state and selector (pages of one listing
    // reuse it, so paging 20,000 pods costs the stand-in what it costs a real server: a page's worth)
    const key = `${ns}\u0000${url.searchParams.get("labelSelector") ?? ""}\u0000${this.#rv}`;
    if (this.#sorted?.key !== key) {
      const all = [...this.#pods.values()]
        .filter((p) => p.metadata.namespace === ns && matches(p, selector))
        .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
      this.#sorted = { key, items: all };
    }
    let items = this.#sorted.items;
    // pages: the token carries the last name sent (a real server's is opaque, and also pins the
    // snapshot's version, which this stand-in does not model)
    const token = url.searchParams.get("continue");
    if (token) {
      let after: { name: string; rv: number };
      try {
        after = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { name: string; rv: number };
      } catch {
        status(res, 400, "BadRequest", "continue key is not valid");
        return;
      }
      if (after.rv < this.#continueFloor) {
        status(
          res,
          410,
          "Expired",
          "The provided continue parameter is too old to display a consistent list result.",
        );
        return;
      }
      let lo = 0;
      for (let hi = items.length; lo < hi; ) {
        const mid = (lo + hi) >> 1;
        if (items[mid]!.metadata.name <= after.name) lo = mid + 1;
        else hi = mid;
      }
      items = items.slice(lo);
    }
    const limit = Number(url.searchParams.get("limit") ?? 0);
    const metadata: Record<string, string> = { resourceVersion: String(this.#rv) };
    if (limit > 0 && items.length > limit) {
      items = items.slice(0, limit);
      const last = { name: items.at(-1)!.metadata.name, rv: this.#rv };
      metadata.continue = Buffer.from(JSON.stringify(last)).toString("base64url");
    }
    json(res, 200, { kind: "PodList", apiVersion: "v1", metadata, items });
  }

  #get(ns: string, name: string, res: ServerResponse): void {
    const pod = this.#pods.get(`${ns}/${name}`);
    if (!pod) {
      notFound(res, name);
      return;
    }
    json(res, 200, pod);
  }

  #patch(ns: string, name: string, req: IncomingMessage, body: string, res: ServerResponse): void {
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
    if (type !== "application/strategic-merge-patch+json" && type !== "application/merge-patch+json") {
      status(
        res,
        415,
        "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
      return;
    }
    let patch: unknown;
    try {
      patch = JSON.parse(body);
    } catch (err) {
      status(res, 400, "BadRequest", `error decoding patch: ${(err as Error).message}`);
      return;
    }
    if (!this.#pods.has(`${ns}/${name}`)) {
      notFound(res, name);
      return;
    }
    const next = this.#mutate(ns, name, (p) => {
      const merged = mergePatch(p, patch) as FakePod;
      // identity and status are not writable through this endpoint
      merged.metadata.name = p.metadata.name;
      merged.metadata.namespace = p.metadata.namespace;
      merged.metadata.uid = p.metadata.uid;
      merged.status = p.status;
      Object.assign(p, merged);
      for (const k of ["labels", "annotations"] as const)
        if (p.metadata[k] && !Object.keys(p.metadata[k]!).length) delete p.metadata[k];
    });
    json(res, 200, next);
  }

  #watch(ns: string, selector: Requirement[], url: URL, res: ServerResponse): void {
    const from = url.searchParams.get("resourceVersion");
    res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
    res.flushHeaders();
    const stream: Stream = { ns, selector, res };
    if (from && from !== "0" && Number(from) < this.#compacted) {
      // what a real server says when the version was compacted away
      res.write(
        `${JSON.stringify({ type: "ERROR", object: statusBody(410, "Expired", `too old resource version: ${from} (${this.#compacted})`) })}\n`,
      );
      res.end();
      return;
    }
    if (!from || from === "0") {
      // no version: the current state as synthetic ADDED events first
      for (const p of this.#pods.values()) {
        if (p.metadata.namespace === ns && matches(p, selector))
          res.write(`${JSON.stringify({ type: "ADDED", object: p })}\n`);
      }
    } else {
      for (const ev of this.#history) if (ev.rv > Number(from)) this.#send(stream, ev);
    }
    this.#streams.add(stream);
    res.on("close", () => this.#streams.delete(stream));
    const timeout = Number(url.searchParams.get("timeoutSeconds") ?? 0);
    if (timeout > 0) setTimeout(() => res.end(), timeout * 1000).unref();
  }

  #send(s: Stream, ev: WatchEvent): void {
    if (ev.pod.metadata.namespace !== s.ns) return;
    // as the watch cache does: leaving the selector reads as DELETED, entering it as ADDED
    const was = ev.before ? matches(ev.before, s.selector) : false;
    const is = ev.type !== "DELETED" && matches(ev.pod, s.selector);
    let type: string | undefined;
    if (ev.type === "DELETED") type = was || matches(ev.pod, s.selector) ? "DELETED" : undefined;
    else if (was && is) type = "MODIFIED";
    else if (is) type = "ADDED";
    else if (was) type = "DELETED";
    if (type) s.res.write(`${JSON.stringify({ type, object: ev.pod })}\n`);
  }
}

/** Strategic merge for maps (JSON merge patch rules: null deletes, objects merge); lists are replaced. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function parseSelector(s: string): Requirement[] {
  const out: Requirement[] = [];
  for (const raw of s.split(",")) {
    const part = raw.trim();
    if (!part) continue;
    const ne = /^([^=!\s]+)\s*!=\s*(.*)$/.exec(part);
    const eq = /^([^=!\s]+)\s*==?\s*(.*)$/.exec(part);
    const notExists = /^!([^=!\s]+)$/.exec(part);
    const exists = /^([^=!\s()]+)$/.exec(part);
    if (ne) out.push({ key: ne[1]!, op: "!=", value: ne[2]! });
    else if (eq) out.push({ key: eq[1]!, op: "=", value: eq[2]! });
    else if (notExists) out.push({ key: notExists[1]!, op: "!exists" });
    else if (exists) out.push({ key: exists[1]!, op: "exists" });
    else
      throw new Error(
        `unable to parse requirement: ${part} (set-based selectors are not implemented by this stand-in)`,
      );
  }
  return out;
}

function matches(pod: FakePod, sel: Requirement[]): boolean {
  const labels = pod.metadata.labels ?? {};
  return sel.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    if (r.op === "exists") return has;
    if (r.op === "!exists") return !has;
    if (r.op === "=") return has && labels[r.key] === r.value;
    return !has || labels[r.key] !== r.value;
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

function statusBody(code: number, reason: string, message: string, details?: Record<string, string>) {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

function status(
  res: ServerResponse,
  code: number,
  reason: string,
  message: string,
  details?: Record<string, string>,
): void {
  json(res, code, statusBody(code, reason, message, details));
}

function notFound(res: ServerResponse, name: string): void {
  status(res, 404, "NotFound", `pods "${name}" not found`, { name, kind: "pods" });
}
