// `/`: every service in the registry, one row per name, kept current by home.js from the live
// registry stream (routes/events.ts). Readable without JavaScript: it is a plain table.
import { type Html, html } from "../html.js";
import { layout, type PageContext } from "../layout.js";
import { PATHS, servicePath } from "../paths.js";
import type { ServiceSummary } from "../summary.js";

export interface WebApp {
  /** The path the gateway proxies to it: `/{name}/`. */
  path: string;
  service: string;
}

export function serviceRow(s: ServiceSummary): Html {
  const versions = s.versions.length ? s.versions.map((v) => v || "(none)").join(", ") : "—";
  return html`<tr data-service="${s.name}">
<th scope="row"><a href="${servicePath(s.name)}">${s.name}</a></th>
<td data-col="versions">${versions}</td>
<td data-col="nodes">${s.nodes}</td>
<td data-col="healthy">${s.healthy} of ${s.nodes}</td>
</tr>`;
}

export function homePage(ctx: PageContext, services: ServiceSummary[], webApps: WebApp[]): Html {
  const rows = services.length
    ? services.map(serviceRow)
    : html`<tr data-empty><td colspan="4">No services are registered.</td></tr>`;
  const apps = webApps.length
    ? html`<section aria-labelledby="web-apps-title">
<h2 id="web-apps-title">Web apps</h2>
<p>Web services the gateway proxies (their own pages):</p>
<ul class="web-apps">${webApps.map((a) => html`<li><a href="${a.path}">${a.path}</a> <span class="muted">${a.service}</span></li>`)}</ul>
</section>`
    : "";
  const main = html`<h1>Services</h1>
<p class="lead">Every service in the registry, TypeScript and Go alike. <strong>Healthy</strong> counts the nodes the
gateway's registry cache holds, the ones it routes calls to: a node leaves when its service stops or stops renewing
its registration. The dashboard does not call services to check them.</p>
<p id="live-status" class="live-status" role="status" aria-live="polite" data-events="${PATHS.events}"></p>
<table id="services" class="services">
<caption>Registered services</caption>
<thead><tr><th scope="col">Service</th><th scope="col">Versions</th><th scope="col">Nodes</th><th scope="col">Healthy</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${apps}`;
  return layout(ctx, { title: "Services", section: "services", main, scripts: ["home.js"] });
}
