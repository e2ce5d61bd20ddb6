// `/topics`: publish to a topic and tail one live (topics.js, through the gateway's broker routes),
// and the topics services subscribe to, from their registry records (readable without JavaScript).
// `?topic=` fills both forms, so the table's links lead to a topic ready to tail.
import { type Html, html } from "../html.js";
import { layout, type PageContext } from "../layout.js";
import { PATHS, servicePath } from "../paths.js";

export interface TopicRow {
  topic: string;
  /** Services with a subscriber on it, sorted. */
  services: string[];
}

function topicTable(rows: TopicRow[]): Html {
  if (!rows.length) return html`<p>No service advertises a subscriber.</p>`;
  return html`<table class="topics">
<caption>Topics services subscribe to</caption>
<thead><tr><th scope="col">Topic</th><th scope="col">Subscribed services</th></tr></thead>
<tbody>${rows.map(
    (r) => html`<tr>
<th scope="row"><a href="${PATHS.topics}?topic=${encodeURIComponent(r.topic)}">${r.topic}</a></th>
<td>${r.services.map((s, i) => html`${i ? ", " : ""}<a href="${servicePath(s)}">${s}</a>`)}</td>
</tr>`,
  )}</tbody>
</table>`;
}

export function topicsPage(ctx: PageContext, rows: TopicRow[], topic: string, broker: boolean): Html {
  const forms = broker
    ? html`<section aria-labelledby="publish-title">
<h2 id="publish-title">Publish</h2>
<form id="publish" class="publish" aria-label="Publish a message">
<div class="field"><label for="publish-topic">Topic</label> <input type="text" id="publish-topic" name="topic" required value="${topic}"></div>
<div class="field"><label for="publish-body">Message JSON</label>
<textarea id="publish-body" name="body" rows="6" spellcheck="false" class="json">{}</textarea></div>
<p class="needs-js">Publishing from this page needs JavaScript.</p>
<div class="actions"><button type="submit">Publish</button></div>
<p class="status" role="status" id="publish-status"></p>
<div class="error" role="alert" id="publish-error"></div>
</form>
</section>
<section aria-labelledby="tail-title">
<h2 id="tail-title">Live tail</h2>
<form id="tail" class="tail" aria-label="Tail a topic">
<div class="field"><label for="tail-topic">Topic to tail</label> <input type="text" id="tail-topic" name="topic" required value="${topic}"></div>
<p class="needs-js">Tailing a topic needs JavaScript.</p>
<div class="actions">
<button type="submit">Subscribe</button>
<button type="button" id="tail-stop" disabled>Stop</button>
<button type="button" id="tail-clear">Clear</button>
</div>
<p class="status" role="status" id="tail-status"></p>
<div class="error" role="alert" id="tail-error"></div>
</form>
<div class="messages" role="log" aria-label="Messages received" id="tail-log"><ol id="tail-messages"></ol></div>
</section>`
    : html`<p>This gateway has no broker, so this page cannot publish or subscribe.</p>`;
  const main = html`<h1>Topics</h1>
<p class="lead">Publish a message, or watch a topic's messages as they arrive. Both go through the gateway's broker
routes (<code>POST /broker/{topic}</code>, <code>GET /broker/{topic}</code>), so Go and TypeScript subscribers receive
what you publish here, and you see what they publish.</p>
${forms}
<section aria-labelledby="known-title">
<h2 id="known-title">Subscribed topics</h2>
${topicTable(rows)}
</section>`;
  return layout(ctx, { title: "Topics", section: "topics", main, scripts: broker ? ["topics.js"] : [] });
}
