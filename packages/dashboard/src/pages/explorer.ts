// `/explorer`: the gateway's live OpenAPI document, rendered by explorer.js (operations by service,
// their schemas, and a "Try it" that calls through the same code as the service pages). Without
// JavaScript: the links to the document and to every service page.
import { html } from "../html.js";
import { layout, type PageContext } from "../layout.js";
import { servicePath } from "../paths.js";

export function explorerPage(ctx: PageContext, services: string[]) {
  const doc = ctx.openapi
    ? html`<p class="lead">The gateway's OpenAPI 3.1 document, <a href="/openapi.json">/openapi.json</a>, built live from the
registry: every endpoint of every service with its request and response schemas. Streams are WebSocket endpoints
(<code>x-micro-stream</code>); call them from their service page.</p>
<p class="status" role="status" id="explorer-status"></p>
<div class="error" role="alert" id="explorer-error"></div>
<div id="operations" data-openapi="/openapi.json"></div>`
    : html`<p>The gateway's OpenAPI document is turned off; the service pages show every endpoint.</p>`;
  const main = html`<h1>API explorer</h1>
${doc}
<nav aria-label="Service pages" class="service-index">
<h2>Service pages</h2>
<ul>${services.map((s) => html`<li><a href="${servicePath(s)}">${s}</a></li>`)}</ul>
</nav>`;
  return layout(ctx, {
    title: "API explorer",
    section: "explorer",
    main,
    scripts: ctx.openapi ? ["explorer.js"] : [],
  });
}
