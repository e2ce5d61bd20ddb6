// The call forms (server-rendered by pages/call-form.ts, or built by the explorer): read the request
// from the fields or the raw JSON box, call through the gateway, and show what came back.
//   unary:   POST /api/{service}/{Endpoint}; status, latency and the reply, or the micro error
//   streams: a WebSocket on the same path; the request is the first message, each reply one list
//            item; Stop closes the socket; bidi and client streams can Send more and End input
//            (the empty frame that half-closes)
import {
  apiPath,
  copyText,
  disable,
  el,
  microError,
  ms,
  pretty,
  shellQuote,
  shellWord,
  showError,
  socketUrl,
  timeOfDay,
} from "./common.js";

// a long stream keeps only its latest messages on the page
const MAX_MESSAGES = 500;
const DIGITS = /^-?\d+$/;

/** A field the user filled in wrongly: shown in the alert, its input marked and focused. */
class FieldError extends Error {
  constructor(input, message) {
    super(message);
    this.input = input;
  }
}

/** Text that goes into the JSON as written: 64-bit integers and JSON typed into a field keep every digit. */
class Verbatim {
  constructor(text) {
    this.text = text;
  }
}

function labelOf(input) {
  const label = input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
  const path = JSON.parse(input.dataset.path || "[]");
  return label ? path.join(".") || label.textContent : input.name;
}

function fieldValue(input) {
  const kind = input.dataset.kind;
  if (kind === "bool") return input.checked ? true : undefined;
  const text = input.value.trim();
  if (text === "") return undefined;
  switch (kind) {
    case "number":
    case "integer": {
      const n = Number(text);
      if (!Number.isFinite(n) || (kind === "integer" && !Number.isInteger(n)))
        throw new FieldError(
          input,
          `${labelOf(input)}: "${text}" is not ${kind === "integer" ? "an integer" : "a number"}`,
        );
      return n;
    }
    case "int64":
      if (!DIGITS.test(text)) throw new FieldError(input, `${labelOf(input)}: "${text}" is not an integer`);
      return new Verbatim(text);
    case "json":
      try {
        JSON.parse(text);
      } catch (e) {
        throw new FieldError(input, `${labelOf(input)}: not valid JSON (${e.message})`);
      }
      return new Verbatim(text);
    default:
      return input.value;
  }
}

function setPath(target, path, value) {
  let o = target;
  for (const key of path.slice(0, -1)) {
    if (typeof o[key] !== "object" || o[key] === null || o[key] instanceof Verbatim) o[key] = {};
    o = o[key];
  }
  o[path[path.length - 1]] = value;
}

/** JSON.stringify that writes Verbatim values as their text. */
function stringify(value, indent) {
  const verbatim = [];
  const json = JSON.stringify(
    value,
    (_k, v) => {
      if (v instanceof Verbatim) {
        verbatim.push(v.text);
        return `\u0000${verbatim.length - 1}`;
      }
      return v;
    },
    indent,
  );
  return json.replace(/"\\u0000(\d+)"/g, (_m, i) => verbatim[Number(i)]);
}

function formJson(form, indent) {
  const request = {};
  for (const input of form.querySelectorAll('[data-role="fields"] [data-path]')) {
    input.removeAttribute("aria-invalid");
    const value = fieldValue(input);
    if (value !== undefined) setPath(request, JSON.parse(input.dataset.path), value);
  }
  return stringify(request, indent);
}

function mode(form) {
  return form.querySelector('input[type="radio"][value="form"]:checked') ? "form" : "raw";
}

function rawBox(form) {
  return form.querySelector('[data-role="raw"] textarea');
}

/** The request as JSON text; throws FieldError when something typed is not what the field takes. */
function requestText(form) {
  if (mode(form) === "form") return formJson(form);
  const box = rawBox(form);
  const text = box.value.trim() || "{}";
  box.removeAttribute("aria-invalid");
  try {
    JSON.parse(text);
  } catch (e) {
    throw new FieldError(box, `Request JSON is not valid JSON: ${e.message}`);
  }
  return text;
}

/** Fills the fields from raw JSON, as far as they match (switching back from Raw JSON). */
function fillFields(form, text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return;
  }
  for (const input of form.querySelectorAll('[data-role="fields"] [data-path]')) {
    let v = value;
    for (const key of JSON.parse(input.dataset.path)) v = v && typeof v === "object" ? v[key] : undefined;
    if (input.dataset.kind === "bool") input.checked = v === true;
    else if (v === undefined || v === null) input.value = "";
    else input.value = input.dataset.kind === "json" ? JSON.stringify(v) : String(v);
  }
}

function parts(form) {
  const q = (role) => form.querySelector(`[data-role="${role}"]`);
  const b = (action) => form.querySelector(`[data-action="${action}"]`);
  return {
    status: q("status"),
    error: q("error"),
    response: q("response"),
    messages: q("messages"),
    command: q("command"),
    copyStatus: q("copy-status"),
    fields: q("fields"),
    raw: q("raw"),
    submit: form.querySelector('button[type="submit"]'),
    stop: b("stop"),
    send: b("send"),
    end: b("end"),
    sendBox: form.querySelector('[data-role="send"] textarea'),
  };
}

function failInput(ui, err) {
  if (!(err instanceof FieldError)) throw err;
  ui.status.textContent = "Not sent.";
  ui.status.classList.remove("ok");
  showError(ui.error, undefined, err.message);
  err.input.setAttribute("aria-invalid", "true");
  err.input.focus();
}

async function callOnce(form, ui) {
  // one call at a time; aria-disabled rather than disabled, which would take the focus (and a
  // keyboard user's place) away from the button just pressed
  if (ui.submit.getAttribute("aria-disabled") === "true") return;
  let body;
  try {
    body = requestText(form);
  } catch (err) {
    failInput(ui, err);
    return;
  }
  const { service, endpoint } = form.dataset;
  showError(ui.error);
  ui.response.hidden = true;
  ui.status.classList.remove("ok");
  ui.status.textContent = "Calling…";
  ui.submit.setAttribute("aria-disabled", "true");
  const start = performance.now();
  try {
    const res = await fetch(apiPath(service, endpoint), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body,
      credentials: "same-origin",
    });
    const text = await res.text();
    ui.status.textContent = `${res.status} ${res.statusText} · ${ms(start)}`.replace("  ", " ");
    if (res.ok) {
      ui.status.classList.add("ok");
      ui.response.textContent = pretty(text);
      ui.response.hidden = false;
    } else {
      showError(ui.error, microError(text), text || `HTTP ${res.status}`);
    }
  } catch (e) {
    ui.status.textContent = `No answer · ${ms(start)}`;
    showError(ui.error, undefined, `The gateway could not be reached: ${e.message}`);
  } finally {
    ui.submit.removeAttribute("aria-disabled");
  }
}

/** One message in the stream's list: `n` counts those received; a sent one has none. */
function addMessage(ui, text, n) {
  const sent = n === undefined;
  const meta = sent ? `sent · ${timeOfDay()}` : `received #${n} · ${timeOfDay()}`;
  ui.messages.append(
    el(
      "li",
      { class: sent ? "sent" : "received" },
      el("span", { class: "meta", text: meta }),
      el("pre", { text: pretty(text) }),
    ),
  );
  while (ui.messages.children.length > MAX_MESSAGES) ui.messages.firstElementChild.remove();
}

function startStream(form, ui) {
  let first;
  try {
    first = requestText(form);
  } catch (err) {
    failInput(ui, err);
    return undefined;
  }
  const { service, endpoint, stream } = form.dataset;
  const talks = stream === "bidi" || stream === "client";
  const start = performance.now();
  let received = 0;
  let stopped = false;
  showError(ui.error);
  ui.messages.replaceChildren();
  ui.status.classList.remove("ok");
  ui.status.textContent = "Connecting…";
  // the focus follows the buttons: Start pressed from the keyboard leaves it on Stop
  ui.stop.disabled = false;
  disable(ui.submit, ui.stop);
  const ws = new WebSocket(socketUrl(apiPath(service, endpoint)));
  const setTalking = (on, next = ui.stop) => {
    if (!talks) return;
    if (on) {
      ui.send.disabled = false;
      ui.end.disabled = false;
    } else {
      disable(ui.send, next);
      disable(ui.end, next);
    }
  };
  ws.onopen = () => {
    ws.send(first);
    addMessage(ui, first);
    ui.status.textContent = "Streaming: request sent.";
    setTalking(true);
  };
  ws.onmessage = (e) => {
    received++;
    addMessage(ui, typeof e.data === "string" ? e.data : "(binary message)", received);
    ui.status.textContent = `Streaming · ${received} message${received === 1 ? "" : "s"} received`;
  };
  ws.onclose = (e) => {
    ui.submit.disabled = false;
    setTalking(false, ui.submit);
    disable(ui.stop, ui.submit);
    const summary = `${received} message${received === 1 ? "" : "s"} · ${ms(start)}`;
    if (e.code === 1000 || stopped) {
      ui.status.classList.add("ok");
      ui.status.textContent = `${stopped ? "Stopped" : "Stream ended"} · ${summary}`;
    } else if (e.code >= 4000) {
      ui.status.textContent = `Stream failed (close ${e.code}) · ${summary}`;
      showError(ui.error, microError(e.reason), e.reason || `closed with ${e.code}`);
    } else {
      ui.status.textContent = `Connection closed (${e.code}) · ${summary}`;
      showError(
        ui.error,
        undefined,
        e.code === 1006 && received === 0
          ? "The gateway refused or dropped the stream: is the service up, and are you signed in?"
          : `The connection closed with ${e.code}${e.reason ? `: ${e.reason}` : ""}`,
      );
    }
  };
  return {
    stop() {
      stopped = true;
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN)
        ws.close(1000, "stopped");
    },
    send() {
      const text = ui.sendBox.value.trim() || "{}";
      ui.sendBox.removeAttribute("aria-invalid");
      try {
        JSON.parse(text);
      } catch (e) {
        failInput(ui, new FieldError(ui.sendBox, `Message JSON is not valid JSON: ${e.message}`));
        return;
      }
      showError(ui.error);
      ws.send(text);
      addMessage(ui, text);
    },
    end() {
      ws.send("");
      setTalking(false);
      ui.status.textContent = "Input ended; waiting for the service to finish.";
    },
  };
}

function commandText(form, kind) {
  const { service, endpoint, stream } = form.dataset;
  const body = requestText(form);
  if (kind === "curl") {
    const auth = document.body.dataset.auth === "on" ? ` -H "Authorization: Bearer $MICRO_TOKEN"` : "";
    return `curl -X POST ${shellQuote(location.origin + apiPath(service, endpoint))} -H 'Content-Type: application/json'${auth} -d ${shellQuote(body)}`;
  }
  const verb = !stream ? "call" : stream === "server" ? "stream" : "stream bidi";
  return `micro ${verb} ${shellWord(service)} ${shellWord(endpoint)} ${shellQuote(body)}`;
}

/** Makes one call form live. */
export function enhanceCallForm(form) {
  const ui = parts(form);
  let current;
  for (const radio of form.querySelectorAll('fieldset.modes input[type="radio"]')) {
    radio.addEventListener("change", () => {
      if (!radio.checked) return;
      if (radio.value === "raw") {
        try {
          rawBox(form).value = formJson(form, 2);
          showError(ui.error);
        } catch (err) {
          if (!(err instanceof FieldError)) throw err;
          showError(ui.error, undefined, `${err.message} (left out of the JSON)`);
        }
      } else {
        fillFields(form, rawBox(form).value);
      }
      ui.fields.hidden = radio.value !== "form";
      ui.raw.hidden = radio.value !== "raw";
    });
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!form.dataset.stream) void callOnce(form, ui);
    else {
      current?.stop();
      current = startStream(form, ui);
    }
  });
  ui.stop?.addEventListener("click", () => current?.stop());
  ui.send?.addEventListener("click", () => current?.send());
  ui.end?.addEventListener("click", () => current?.end());
  for (const kind of ["curl", "micro"]) {
    form.querySelector(`[data-action="copy-${kind}"]`)?.addEventListener("click", () => {
      let text;
      try {
        text = commandText(form, kind);
      } catch (err) {
        failInput(ui, err);
        return;
      }
      void copyText(text, ui.command, ui.copyStatus);
    });
  }
}
