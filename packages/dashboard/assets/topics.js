// The topics page: publish through POST /broker/{topic}, and tail a topic through a WebSocket on
// GET /broker/{topic}?envelope=1, one list item per message (topic, time, headers, body).
import { disable, el, microError, ms, pretty, showError, socketUrl, timeOfDay } from "./common.js";

const MAX_MESSAGES = 500;
const byId = (id) => document.getElementById(id);

function brokerPath(topic) {
  return `/broker/${encodeURIComponent(topic)}`;
}

// ---- publish
const publishForm = byId("publish");
const publishStatus = byId("publish-status");
const publishError = byId("publish-error");

publishForm?.addEventListener("submit", async (e) => {
  e.preventDefault();
  const topicInput = byId("publish-topic");
  const bodyInput = byId("publish-body");
  const topic = topicInput.value.trim();
  const body = bodyInput.value.trim() || "{}";
  bodyInput.removeAttribute("aria-invalid");
  publishStatus.classList.remove("ok");
  if (!topic) {
    showError(publishError, undefined, "Name a topic to publish to.");
    topicInput.focus();
    return;
  }
  try {
    JSON.parse(body);
  } catch (err) {
    showError(publishError, undefined, `Message JSON is not valid JSON: ${err.message}`);
    bodyInput.setAttribute("aria-invalid", "true");
    bodyInput.focus();
    return;
  }
  showError(publishError);
  publishStatus.textContent = "Publishing…";
  const start = performance.now();
  try {
    const res = await fetch(brokerPath(topic), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
      credentials: "same-origin",
    });
    const text = await res.text();
    if (res.ok) {
      publishStatus.classList.add("ok");
      publishStatus.textContent = `Published to ${topic} · ${res.status} · ${ms(start)}`;
    } else {
      publishStatus.textContent = `${res.status} ${res.statusText} · ${ms(start)}`;
      showError(publishError, microError(text), text || `HTTP ${res.status}`);
    }
  } catch (err) {
    publishStatus.textContent = "Not published.";
    showError(publishError, undefined, `The gateway could not be reached: ${err.message}`);
  }
});

// ---- live tail
const tailForm = byId("tail");
const tailStatus = byId("tail-status");
const tailError = byId("tail-error");
const stopButton = byId("tail-stop");
const list = byId("tail-messages");
const submit = tailForm?.querySelector('button[type="submit"]');
let socket;
let stopped = false;

function addEnvelope(data) {
  let env;
  try {
    env = JSON.parse(data);
  } catch {
    env = { body: data };
  }
  const body = typeof env.body === "string" ? env.body : JSON.stringify(env.body, null, 2);
  const header = env.header ? JSON.stringify(env.header, null, 2) : undefined;
  list.append(
    el(
      "li",
      {},
      el("span", {
        class: "meta",
        text: `${env.topic ?? ""} · ${timeOfDay()}${env.encoding ? ` · ${env.encoding}` : ""}`,
      }),
      el("pre", { text: typeof env.body === "string" ? body : pretty(body) }),
      header ? el("details", {}, el("summary", { text: "Headers" }), el("pre", { text: header })) : undefined,
    ),
  );
  while (list.children.length > MAX_MESSAGES) list.firstElementChild.remove();
}

function stop() {
  stopped = true;
  if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, "stopped");
}

tailForm?.addEventListener("submit", (e) => {
  e.preventDefault();
  const topic = byId("tail-topic").value.trim();
  if (!topic) {
    showError(tailError, undefined, "Name a topic to tail.");
    byId("tail-topic").focus();
    return;
  }
  stop();
  stopped = false;
  showError(tailError);
  tailStatus.classList.remove("ok");
  tailStatus.textContent = `Subscribing to ${topic}…`;
  stopButton.disabled = false;
  disable(submit, stopButton);
  let received = 0;
  const ws = new WebSocket(`${socketUrl(brokerPath(topic))}?envelope=1`);
  socket = ws;
  ws.onopen = () => {
    tailStatus.classList.add("ok");
    tailStatus.textContent = `Subscribed to ${topic}: messages appear below as they arrive.`;
  };
  ws.onmessage = (m) => {
    received++;
    addEnvelope(typeof m.data === "string" ? m.data : "(binary message)");
  };
  ws.onclose = (c) => {
    if (socket !== ws) return;
    submit.disabled = false;
    disable(stopButton, submit);
    tailStatus.classList.remove("ok");
    const summary = `${received} message${received === 1 ? "" : "s"}`;
    if (stopped || c.code === 1000) tailStatus.textContent = `Stopped tailing ${topic} · ${summary}.`;
    else {
      tailStatus.textContent = `The subscription to ${topic} ended (${c.code}) · ${summary}.`;
      showError(
        tailError,
        microError(c.reason),
        c.reason ||
          "The gateway refused or dropped the subscription: is there a broker, and are you signed in?",
      );
    }
  };
});

stopButton?.addEventListener("click", stop);
byId("tail-clear")?.addEventListener("click", () => list.replaceChildren());
window.addEventListener("pagehide", stop);
