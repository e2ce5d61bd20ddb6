// The form that calls one endpoint through the gateway, enhanced by call.js (the contract between
// the two is the data-* attributes and data-role names below). Unary: "Call" POSTs to
// /api/{service}/{Endpoint}. Streams: "Start stream" opens a WebSocket on the same path and sends
// the request as the first message, "Stop" closes it; bidi and client streams also get "Send" and
// "End input" (the empty frame that half-closes). Without JavaScript the form is there to read.
import type { Value } from "@micro/core";
import type { StreamKind } from "@micro/gateway";
import { type Html, html } from "../html.js";
import { IdSource, requestFields } from "../request-form.js";

export interface CallFormInput {
  service: string;
  endpoint: string;
  request: Value | undefined;
  stream: StreamKind | undefined;
  /** Unique on the page, for ids. */
  index: number;
}

export function callForm(c: CallFormInput): Html {
  const i = c.index;
  const fields = requestFields(c.request, new IdSource(`f${i}`));
  const talks = c.stream === "bidi" || c.stream === "client";
  const start = c.stream ? "Start stream" : "Call";
  const modes = fields
    ? html`<fieldset class="modes">
<legend>Request input</legend>
<label><input type="radio" name="mode-${i}" value="form" checked> Form</label>
<label><input type="radio" name="mode-${i}" value="raw"> Raw JSON</label>
</fieldset>
<div class="fields" data-role="fields">
${fields}
</div>`
    : "";
  return html`<form class="call" id="call-${i}" aria-label="Call ${c.endpoint}" data-service="${c.service}" data-endpoint="${c.endpoint}" data-stream="${c.stream ?? ""}">
${modes}
<div class="raw" data-role="raw"${fields ? html` hidden` : ""}>
<label for="raw-${i}">Request JSON</label>
<textarea id="raw-${i}" rows="6" spellcheck="false" class="json">{}</textarea>
</div>
<p class="needs-js">Calling from this page needs JavaScript.</p>
<div class="actions">
<button type="submit">${start}</button>
${c.stream ? html`<button type="button" data-action="stop" disabled>Stop</button>` : ""}
</div>
${
  talks
    ? html`<div class="send" data-role="send">
<label for="send-${i}">Message JSON</label>
<textarea id="send-${i}" rows="3" spellcheck="false" class="json">{}</textarea>
<div class="actions">
<button type="button" data-action="send" disabled>Send</button>
<button type="button" data-action="end" disabled>End input</button>
</div>
</div>`
    : ""
}
<div class="copy">
${c.stream ? "" : html`<button type="button" data-action="copy-curl">Copy as curl</button>`}
<button type="button" data-action="copy-micro">Copy as micro call</button>
<span class="copy-status" role="status" data-role="copy-status"></span>
<pre class="command" data-role="command" hidden></pre>
</div>
<div class="result">
<p class="status" role="status" data-role="status"></p>
<div class="error" role="alert" data-role="error"></div>
${
  c.stream
    ? html`<div class="messages" role="log" aria-label="Messages of ${c.endpoint}" data-role="log"><ol data-role="messages"></ol></div>`
    : html`<pre class="response" data-role="response" tabindex="0" aria-label="Response of ${c.endpoint}" hidden></pre>`
}
</div>
</form>`;
}
