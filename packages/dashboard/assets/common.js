// Helpers the page scripts share. Everything is written into the page as text (textContent, never
// innerHTML), so whatever a service returns stays text.

document.documentElement.classList.add("js");

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = String(v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return node;
}

/** JSON text indented for reading; anything that is not JSON comes back as it is. */
export function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** go-micro's error JSON ({id, code, detail, status}) from a body or close reason, else undefined. */
export function microError(text) {
  try {
    const e = JSON.parse(text);
    if (e && typeof e === "object" && ("detail" in e || "code" in e)) return e;
  } catch {
    // not JSON
  }
  return undefined;
}

/** Fills an alert region with a micro error (or a plain message), readably. */
export function showError(region, error, fallback) {
  region.replaceChildren();
  if (!error && !fallback) return;
  if (!error) {
    region.append(el("p", { text: fallback }));
    return;
  }
  const dl = el("dl", { class: "micro-error" });
  for (const key of ["id", "code", "detail", "status"]) {
    if (error[key] === undefined || error[key] === "") continue;
    dl.append(el("dt", { text: key }), el("dd", { text: String(error[key]) }));
  }
  region.append(el("p", { text: "The call failed:" }), dl);
}

export function apiPath(service, endpoint) {
  return `/api/${encodeURIComponent(service)}/${encodeURIComponent(endpoint)}`;
}

/** ws(s):// URL of a path on this site. */
export function socketUrl(path) {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${path}`;
}

/** A word for the shell: single-quoted, with single quotes spelled '\''. */
export function shellQuote(s) {
  return `'${String(s).replaceAll("'", "'\\''")}'`;
}

/** A word for the shell, quoted only when it holds anything a shell would read specially. */
export function shellWord(s) {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : shellQuote(s);
}

/**
 * Shows `text` in `pre` (so it can always be selected by hand) and tries the clipboard; `status`
 * says which happened.
 */
export async function copyText(text, pre, status) {
  pre.textContent = text;
  pre.hidden = false;
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = "Copied to the clipboard.";
  } catch {
    status.textContent = "The clipboard is not available: select the command below and copy it.";
  }
}

/**
 * Disables a button without losing the keyboard's place: a focused button that becomes disabled
 * drops the focus to <body>, so the focus goes to `next` (the button that takes over) instead.
 */
export function disable(button, next) {
  if (!button) return;
  const focused = document.activeElement === button;
  button.disabled = true;
  if (focused && next && !next.disabled) next.focus();
}

/** Milliseconds with one decimal below 10, as a reader wants them. */
export function ms(start) {
  const d = performance.now() - start;
  return `${d < 10 ? d.toFixed(1) : Math.round(d)} ms`;
}

export function timeOfDay(date = new Date()) {
  return date.toLocaleTimeString(undefined, { hour12: false });
}
