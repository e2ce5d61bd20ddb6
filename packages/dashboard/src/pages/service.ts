// `/services/{name}`: the service's versions, its nodes, and each endpoint's request and response
// field trees with a form to call it (pages/call-form.ts). Broker subscribers are listed apart:
// they are not callable. Rendered from the registry records alone, so Go services show the same.
import type { Endpoint, Service } from "@micro/core";
import { dialectOf, isGoContext, isGoStreamHandle, type StreamKind, streamKind } from "@micro/gateway";
import { type Html, html } from "../html.js";
import { layout, type PageContext } from "../layout.js";
import { endpointAnchor, PATHS } from "../paths.js";
import { cmp } from "../summary.js";
import { valueTree } from "../value-tree.js";
import { callForm } from "./call-form.js";

interface MergedEndpoint {
  endpoint: Endpoint;
  go: boolean;
  versions: string[];
}

const KIND_LABEL: Record<StreamKind, string> = {
  server: "server stream",
  client: "client stream",
  bidi: "bidirectional stream",
};

// metadata our pages already say in other words
const SHOWN_KEYS = new Set(["stream", "stream_kind", "subscriber", "topic", "description"]);

/** Endpoints of every version, by name; the first version that has one gives its shape. */
function mergeEndpoints(versions: Service[]): MergedEndpoint[] {
  const byName = new Map<string, MergedEndpoint>();
  for (const v of versions) {
    const go = dialectOf(v) === "go";
    for (const e of v.endpoints ?? []) {
      if (!e?.name) continue;
      const seen = byName.get(e.name);
      if (seen) seen.versions.push(v.version);
      else byName.set(e.name, { endpoint: e, go, versions: [v.version] });
    }
  }
  return [...byName.values()].sort((a, b) => cmp(a.endpoint.name, b.endpoint.name));
}

function metadataList(md: Record<string, string> | undefined, skip = new Set<string>()): Html | string {
  const entries = Object.entries(md ?? {})
    .filter(([k]) => !skip.has(k))
    .sort(([a], [b]) => cmp(a, b));
  if (!entries.length) return html`<span class="muted">none</span>`;
  return html`<dl class="metadata">${entries.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

function nodesTable(name: string, versions: Service[]): Html {
  const rows = versions.flatMap((v) =>
    v.nodes.map(
      (n) => html`<tr>
<th scope="row"><code>${n.id}</code></th>
<td><code>${n.address}</code></td>
<td>${v.version || "(none)"}</td>
<td>${metadataList(n.metadata)}</td>
</tr>`,
    ),
  );
  return html`<table class="nodes">
<caption>Nodes of ${name}</caption>
<thead><tr><th scope="col">Node</th><th scope="col">Address</th><th scope="col">Version</th><th scope="col">Metadata</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="4">No nodes.</td></tr>`}</tbody>
</table>`;
}

function endpointSection(
  service: string,
  m: MergedEndpoint,
  index: number,
  anchor: string,
  allVersions: number,
  callable: boolean,
): Html {
  const e = m.endpoint;
  const kind = streamKind(e, m.go ? "go" : "ts");
  // go-micro's extractor sees the stream handle, not the messages, of a Go stream
  const request = m.go && kind && (kind !== "server" || isGoContext(e.request)) ? undefined : e.request;
  const response = m.go && kind && isGoStreamHandle(e.response) ? undefined : e.response;
  const title = `ep-${index}`;
  const description = e.metadata?.description?.trim();
  const onlyIn =
    m.versions.length < allVersions
      ? html`<p class="muted">Only in version ${m.versions.join(", ")}.</p>`
      : "";
  const extra = Object.keys(e.metadata ?? {}).some((k) => !SHOWN_KEYS.has(k))
    ? html`<details class="endpoint-metadata"><summary>Metadata</summary>${metadataList(e.metadata, SHOWN_KEYS)}</details>`
    : "";
  return html`<section class="endpoint" id="${anchor}" aria-labelledby="${title}">
<h3 id="${title}">${e.name}${kind ? html` <span class="badge">${KIND_LABEL[kind]}</span>` : ""}</h3>
${description ? html`<p>${description}</p>` : ""}
${onlyIn}
<div class="schemas">
<div class="schema"><h4>Request</h4>${valueTree(request, kind ? "Each message sent" : "Request")}</div>
<div class="schema"><h4>Response</h4>${valueTree(response, kind ? "Each message received" : "Response")}</div>
</div>
${extra}
${callable ? callForm({ service, endpoint: e.name, request, stream: kind, index }) : html`<p class="muted">Calls are off: the gateway's /api routes are disabled.</p>`}
</section>`;
}

export function servicePage(ctx: PageContext, name: string, versions: Service[], callable: boolean): Html {
  const merged = mergeEndpoints(versions);
  const endpoints = merged.filter((m) => m.endpoint.metadata?.subscriber !== "true");
  const subscribers = merged.filter((m) => m.endpoint.metadata?.subscriber === "true");
  // two names that differ only in punctuation would share an anchor: the later ones get a suffix
  const used = new Set<string>();
  const anchors = endpoints.map((m, i) => {
    const a = endpointAnchor(m.endpoint.name);
    const unique = used.has(a) ? `${a}-${i + 1}` : a;
    used.add(unique);
    return unique;
  });
  const description = versions.map((v) => v.metadata?.description).find(Boolean);
  const serviceMetadata = versions.some((v) => Object.keys(v.metadata ?? {}).length)
    ? html`<h2>Metadata</h2>${versions.map((v) => html`<h3 class="version">Version ${v.version || "(none)"}</h3>${metadataList(v.metadata)}`)}`
    : "";
  const main = html`<p class="breadcrumb"><a href="${PATHS.home}">Services</a> / <span>${name}</span></p>
<h1>${name}</h1>
${description ? html`<p class="lead">${description}</p>` : ""}
<p>Versions: ${versions.map((v) => v.version || "(none)").join(", ")} · written in ${versions.some((v) => dialectOf(v) === "ts") ? "TypeScript" : "Go (or another go-micro peer)"}</p>
<section aria-labelledby="nodes-title">
<h2 id="nodes-title">Nodes</h2>
${nodesTable(name, versions)}
</section>
${serviceMetadata}
<section aria-labelledby="endpoints-title">
<h2 id="endpoints-title">Endpoints</h2>
${endpoints.length ? endpoints.map((m, i) => endpointSection(name, m, i + 1, anchors[i]!, versions.length, callable)) : html`<p>No endpoints advertised.</p>`}
</section>
${
  subscribers.length
    ? html`<section aria-labelledby="subscribers-title">
<h2 id="subscribers-title">Subscribers</h2>
<ul class="subscribers">${subscribers.map((m) => {
        const topic = m.endpoint.metadata.topic ?? "";
        return html`<li><code>${m.endpoint.name}</code> on topic <a href="${PATHS.topics}?topic=${encodeURIComponent(topic)}">${topic}</a></li>`;
      })}</ul>
</section>`
    : ""
}`;
  return layout(ctx, { title: name, section: "services", main, scripts: ["service.js"] });
}

export function serviceNotFound(ctx: PageContext, name: string): Html {
  const main = html`<h1>Service not found</h1>
<p>The registry has no service named <code>${name}</code> (it may have stopped).</p>
<p><a href="${PATHS.home}">All services</a></p>`;
  return layout(ctx, { title: "Service not found", section: "services", main });
}
