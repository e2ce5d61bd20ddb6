// The home page, live: the table follows the registry through /dashboard/events (Server-Sent
// Events). A snapshot (on connect and reconnect) sets every row quietly; a change to one service
// updates its row and is announced in the polite live region.
import { el } from "./common.js";

const status = document.getElementById("live-status");
const body = document.querySelector("#services tbody");

function versionsText(versions) {
  return versions.length ? versions.map((v) => v || "(none)").join(", ") : "—";
}

function rowOf(name) {
  for (const tr of body.querySelectorAll("tr[data-service]")) if (tr.dataset.service === name) return tr;
  return undefined;
}

function newRow(s) {
  const link = el("a", { href: `/services/${encodeURIComponent(s.name)}`, text: s.name });
  return el(
    "tr",
    { "data-service": s.name },
    el("th", { scope: "row" }, link),
    el("td", { "data-col": "versions" }),
    el("td", { "data-col": "nodes" }),
    el("td", { "data-col": "healthy" }),
  );
}

function fill(tr, s) {
  tr.querySelector('[data-col="versions"]').textContent = versionsText(s.versions);
  tr.querySelector('[data-col="nodes"]').textContent = String(s.nodes);
  tr.querySelector('[data-col="healthy"]').textContent = `${s.healthy} of ${s.nodes}`;
}

/** Keeps rows sorted by name (code-unit order, as the server sorts). */
function insert(tr) {
  const name = tr.dataset.service;
  const after = [...body.querySelectorAll("tr[data-service]")].find((r) => r.dataset.service > name);
  body.insertBefore(tr, after ?? null);
}

function syncEmpty() {
  const empty = body.querySelector("tr[data-empty]");
  const any = body.querySelector("tr[data-service]");
  if (any && empty) empty.remove();
  if (!any && !empty)
    body.append(
      el("tr", { "data-empty": true }, el("td", { colspan: "4", text: "No services are registered." })),
    );
}

function flash(tr) {
  tr.classList.add("changed");
  setTimeout(() => tr.classList.remove("changed"), 2000);
}

/** Applies one service's state; returns what changed, for the announcement. */
function apply(s) {
  const tr = rowOf(s.name);
  if (s.removed) {
    if (!tr) return undefined;
    tr.remove();
    syncEmpty();
    return `${s.name} is no longer registered.`;
  }
  if (!tr) {
    const row = newRow(s);
    fill(row, s);
    insert(row);
    syncEmpty();
    flash(row);
    return `${s.name} registered: ${s.nodes} node${s.nodes === 1 ? "" : "s"}.`;
  }
  const before = tr.textContent;
  fill(tr, s);
  if (tr.textContent === before) return undefined;
  flash(tr);
  return `${s.name} changed: ${s.healthy} of ${s.nodes} node${s.nodes === 1 ? "" : "s"} healthy.`;
}

function snapshot(services) {
  const names = new Set(services.map((s) => s.name));
  for (const tr of body.querySelectorAll("tr[data-service]")) if (!names.has(tr.dataset.service)) tr.remove();
  for (const s of services) {
    const tr = rowOf(s.name);
    if (tr) fill(tr, s);
    else {
      const row = newRow(s);
      fill(row, s);
      insert(row);
    }
  }
  syncEmpty();
}

if (status && body && "EventSource" in window) {
  const source = new EventSource(status.dataset.events);
  source.addEventListener("open", () => {
    status.textContent = "Live: this table follows the registry.";
  });
  source.addEventListener("snapshot", (e) => snapshot(JSON.parse(e.data).services));
  source.addEventListener("service", (e) => {
    const said = apply(JSON.parse(e.data));
    if (said) status.textContent = said;
  });
  source.addEventListener("error", () => {
    status.textContent =
      source.readyState === EventSource.CLOSED
        ? "Live updates stopped: reload the page to see changes."
        : "Live updates interrupted; reconnecting…";
  });
  // the watch behind the stream is released as soon as the page goes
  window.addEventListener("pagehide", () => source.close());
  // a page brought back from the back/forward cache has no stream any more: load it afresh
  window.addEventListener("pageshow", (e) => e.persisted && location.reload());
}
