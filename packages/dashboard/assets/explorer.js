// The API explorer: the gateway's live /openapi.json, one section per service (tag) and one
// article per operation, with its request and response schemas as nested lists and a "Try it" form
// that calls through the same code as the service pages (call.js).
import { enhanceCallForm } from "./call.js";
import { el, microError, showError } from "./common.js";

const root = document.getElementById("operations");
const status = document.getElementById("explorer-status");
const errorRegion = document.getElementById("explorer-error");
const MAX_DEPTH = 8;
let formCount = 0;

function refName(ref) {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

function resolve(doc, schema) {
  if (!schema?.$ref) return schema ?? {};
  return doc.components?.schemas?.[refName(schema.$ref)] ?? {};
}

function typeLabel(doc, s) {
  if (!s) return "any";
  if (s.$ref) return refName(s.$ref);
  if (s.type === "array") return `${typeLabel(doc, s.items)}[]`;
  if (s.type === "object" && s.additionalProperties && typeof s.additionalProperties === "object")
    return `map of ${typeLabel(doc, s.additionalProperties)}`;
  if (s.type)
    return s.format
      ? `${s.type} (${s.format})`
      : s.contentEncoding
        ? `${s.type} (${s.contentEncoding})`
        : s.type;
  return s["x-micro-type"] ?? "any";
}

/** The object's fields as nested lists; a struct already open above is named, not repeated. */
function fieldsOf(doc, schema, depth, seen) {
  const s = resolve(doc, schema);
  const inner =
    s.type === "array"
      ? resolve(doc, s.items)
      : s.additionalProperties
        ? resolve(doc, s.additionalProperties)
        : s;
  const props = inner.properties;
  if (!props || !Object.keys(props).length || depth > MAX_DEPTH) return undefined;
  const ref = schema?.$ref ?? (s.type === "array" ? s.items?.$ref : s.additionalProperties?.$ref);
  if (ref && seen.has(ref)) return undefined;
  const next = new Set(seen);
  if (ref) next.add(ref);
  return el(
    "ul",
    { class: "fields" },
    Object.entries(props).map(([name, p]) =>
      el(
        "li",
        {},
        el("code", { class: "field-name", text: name }),
        " ",
        el("span", { class: "field-type", text: typeLabel(doc, p) }),
        p.description ? el("span", { class: "hint", text: ` — ${p.description}` }) : undefined,
        fieldsOf(doc, p, depth + 1, next),
      ),
    ),
  );
}

function schemaBlock(doc, title, schema) {
  const list = fieldsOf(doc, schema, 0, new Set());
  const s = resolve(doc, schema);
  return el(
    "div",
    { class: "schema" },
    el("h4", { text: title }),
    el(
      "p",
      { class: "schema-type" },
      el("code", { text: typeLabel(doc, schema) }),
      s.description && !list ? ` ${s.description}` : "",
    ),
    list,
  );
}

/** A value of the schema's shape, to start the request from. */
function example(doc, schema, depth = 0) {
  const s = resolve(doc, schema);
  if (depth > 4) return undefined;
  switch (s.type) {
    case "object":
      if (!s.properties) return {};
      return Object.fromEntries(
        Object.entries(s.properties).map(([k, p]) => [k, example(doc, p, depth + 1)]),
      );
    case "array":
      return [];
    case "string":
      return "";
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    default:
      return null;
  }
}

function tryIt(doc, op, requestSchema, kind) {
  const n = ++formCount;
  const service = op["x-micro-service"];
  const endpoint = op["x-micro-endpoint"];
  const sample = op.requestBody?.content?.["application/json"]?.example ?? example(doc, requestSchema) ?? {};
  const stream = kind ?? "";
  const talks = stream === "bidi" || stream === "client";
  const form = el(
    "form",
    {
      class: "call",
      "aria-label": `Call ${endpoint}`,
      "data-service": service,
      "data-endpoint": endpoint,
      "data-stream": stream,
    },
    el(
      "div",
      { class: "raw", "data-role": "raw" },
      el("label", { for: `x-raw-${n}`, text: "Request JSON" }),
      el("textarea", {
        id: `x-raw-${n}`,
        rows: "6",
        spellcheck: "false",
        class: "json",
        text: JSON.stringify(sample, null, 2),
      }),
    ),
    el(
      "div",
      { class: "actions" },
      el("button", { type: "submit", text: stream ? "Start stream" : "Call" }),
      stream
        ? el("button", { type: "button", "data-action": "stop", disabled: true, text: "Stop" })
        : undefined,
    ),
    talks
      ? el(
          "div",
          { class: "send", "data-role": "send" },
          el("label", { for: `x-send-${n}`, text: "Message JSON" }),
          el("textarea", { id: `x-send-${n}`, rows: "3", spellcheck: "false", class: "json", text: "{}" }),
          el(
            "div",
            { class: "actions" },
            el("button", { type: "button", "data-action": "send", disabled: true, text: "Send" }),
            el("button", { type: "button", "data-action": "end", disabled: true, text: "End input" }),
          ),
        )
      : undefined,
    el(
      "div",
      { class: "copy" },
      stream ? undefined : el("button", { type: "button", "data-action": "copy-curl", text: "Copy as curl" }),
      el("button", { type: "button", "data-action": "copy-micro", text: "Copy as micro call" }),
      el("span", { class: "copy-status", role: "status", "data-role": "copy-status" }),
      el("pre", { class: "command", "data-role": "command", hidden: true }),
    ),
    el(
      "div",
      { class: "result" },
      el("p", { class: "status", role: "status", "data-role": "status" }),
      el("div", { class: "error", role: "alert", "data-role": "error" }),
      stream
        ? el(
            "div",
            { class: "messages", role: "log", "aria-label": `Messages of ${endpoint}`, "data-role": "log" },
            el("ol", { "data-role": "messages" }),
          )
        : el("pre", {
            class: "response",
            "data-role": "response",
            tabindex: "0",
            "aria-label": `Response of ${endpoint}`,
            hidden: true,
          }),
    ),
  );
  enhanceCallForm(form);
  return el("details", { class: "try-it" }, el("summary", { text: "Try it" }), form);
}

function operation(doc, path, method, op) {
  const kind = op["x-micro-stream"];
  const service = op["x-micro-service"];
  const endpoint = op["x-micro-endpoint"];
  const messages = op["x-micro-messages"];
  const request = kind ? messages?.send : op.requestBody?.content?.["application/json"]?.schema;
  const response = kind ? messages?.receive : op.responses?.["200"]?.content?.["application/json"]?.schema;
  const anchor = `endpoint-${endpoint.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return el(
    "article",
    { class: "operation", "aria-label": `${endpoint} of ${service}` },
    el(
      "h3",
      {},
      el("span", { class: "method", text: kind ? "WebSocket" : method.toUpperCase() }),
      el("code", { text: path }),
      kind ? el("span", { class: "badge", text: `${kind} stream` }) : undefined,
    ),
    op.summary && op.summary !== endpoint ? el("p", { text: op.summary }) : undefined,
    op["x-micro-scopes"]
      ? el("p", { class: "muted", text: `Scopes: ${op["x-micro-scopes"].join(", ")}` })
      : undefined,
    el(
      "div",
      { class: "schemas" },
      schemaBlock(doc, kind ? "Each message sent" : "Request", request),
      schemaBlock(doc, kind ? "Each message received" : "Response", response),
    ),
    el(
      "p",
      {},
      el("a", {
        href: `/services/${encodeURIComponent(service)}#${anchor}`,
        text: `${endpoint} on the service page`,
      }),
    ),
    tryIt(doc, op, request, kind),
  );
}

function render(doc) {
  const byTag = new Map((doc.tags ?? []).map((t) => [t.name, []]));
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? "other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([path, method, op]);
    }
  }
  const sections = [];
  let n = 0;
  for (const [tag, ops] of byTag) {
    if (!ops.length) continue;
    const id = `tag-${++n}`;
    const info = (doc.tags ?? []).find((t) => t.name === tag);
    sections.push(
      el(
        "section",
        { class: "tag", "aria-labelledby": id },
        el("h2", { id, text: tag }),
        info?.description ? el("p", { text: info.description }) : undefined,
        info?.["x-micro-versions"]
          ? el("p", { class: "muted", text: `Versions: ${info["x-micro-versions"].join(", ")}` })
          : undefined,
        ops.map(([path, method, op]) => operation(doc, path, method, op)),
      ),
    );
  }
  root.replaceChildren(...sections);
  const count = sections.reduce((sum, s) => sum + s.querySelectorAll("article").length, 0);
  status.textContent = count
    ? `${count} operation${count === 1 ? "" : "s"} in ${sections.length} service${sections.length === 1 ? "" : "s"}.`
    : "No service advertises an endpoint.";
}

async function load() {
  status.textContent = "Loading the OpenAPI document…";
  try {
    const res = await fetch(root.dataset.openapi, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const text = await res.text();
    if (!res.ok) {
      status.textContent = `The document could not be loaded (${res.status}).`;
      showError(errorRegion, microError(text), text || `HTTP ${res.status}`);
      return;
    }
    render(JSON.parse(text));
  } catch (e) {
    status.textContent = "The document could not be loaded.";
    showError(errorRegion, undefined, e.message);
  }
}

if (root) void load();
