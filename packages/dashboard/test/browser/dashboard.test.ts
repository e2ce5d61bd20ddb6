/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The dashboard in a real browser (Chromium, driven by playwright-core) against a real mesh on
// 127.0.0.1, found over mdns: a TypeScript service in this process and interop's Go peer (go-micro
// v5.30) in its own. What a person sees and does: the services listed and kept live, a form call,
// streams arriving message by message and stopped, errors shown readably, the login gate, topics,
// the explorer; every page checked with axe (WCAG 2 A and AA) and usable from the keyboard. The
// screenshots in packages/dashboard/screenshots/ come from here.

import type { MicroService } from "@micro/core";
import { signJwt } from "@micro/gateway";
import type { JsonLinesProcess } from "@micro/testing/helpers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, type Browser, launch, openPage, type Page, screenshot } from "./support/browser.js";
import {
  type Dashboard,
  GO_SERVICE,
  JWT_SECRET,
  LATE_SERVICE,
  lateRecord,
  mdns,
  type Observed,
  startDashboard,
  startGoPeer,
  startTsService,
  TOPIC,
  TS_SERVICE,
} from "./support/mesh.js";
import { chromiumMissing, goPeerMissing, skipOrFail } from "./support/prerequisites.js";

const noBrowser = chromiumMissing();
const noGo = noBrowser ? undefined : goPeerMissing();

const observed: Observed = { hello: 0, streamsOpen: 0, events: [] };
let browser: Browser | undefined;
const registry = mdns();
const gatewayRegistry = mdns();
let svc: MicroService | undefined;
let peer: JsonLinesProcess | undefined;
let dash: Dashboard | undefined;
let authDash: Dashboard | undefined;
let url: string;
let authUrl: string;
/** Set when the Go peer cannot be used here (not built, or mdns did not carry it): its tests skip. */
let goSkip: string | undefined = noGo;

/** Resolves once `check` holds, polling; false after `ms`. */
async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

const known = async (base: string, service: string) =>
  (await fetch(`${base}/api/${service}`, { signal: AbortSignal.timeout(3000) })).status === 200;

// pages opened by a test, closed after it; their uncaught errors and policy violations fail it
const open: { page: Page; problems: string[] }[] = [];
async function newPage(path: string, base = url): Promise<Page> {
  const p = await openPage(browser!);
  open.push(p);
  await p.page.goto(`${base}${path}`);
  return p.page;
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await axeViolations(page), `axe (wcag2a, wcag2aa) on ${what}`).toBe("");
}

/** expect.poll with room for a loaded machine: `fn` is asked every 50 ms for up to 10 s. */
const poll = <T>(fn: () => T | Promise<T>, message?: string) =>
  expect.poll(fn, { timeout: 10_000, interval: 50, ...(message ? { message } : {}) });

/** The text of an element, once it matches (polled; Playwright's own expect is not in playwright-core). */
const text = (page: Page, selector: string) => () => page.locator(selector).first().textContent();

describe.skipIf(noBrowser)(`the dashboard in Chromium${noBrowser ? ` — skipped: ${noBrowser}` : ""}`, () => {
  beforeAll(async () => {
    // each part kept as it comes up, so that afterAll closes whatever started when another failed
    const parts = await Promise.allSettled([
      launch().then((b) => (browser = b)),
      startTsService(registry, observed).then((s) => (svc = s)),
      startDashboard(gatewayRegistry).then((d) => (dash = d)),
      startDashboard(gatewayRegistry, true).then((d) => (authDash = d)),
      noGo ? undefined : startGoPeer().then((p) => (peer = p)),
    ]);
    for (const p of parts) if (p.status === "rejected") throw p.reason;
    url = dash!.url;
    authUrl = authDash!.url;
    expect(await eventually(() => known(url, TS_SERVICE), 10_000), `${TS_SERVICE} over mdns`).toBe(true);
    if (peer && !(await eventually(() => known(url, GO_SERVICE), 10_000)))
      goSkip = skipOrFail(`the gateway never saw ${GO_SERVICE} over mdns:\n${peer.stderr}`);
  }, 60_000);

  afterAll(async () => {
    // the browser, the gateways, the services (the Go peer deregisters on SIGTERM), the registries
    const steps: (() => Promise<unknown> | undefined)[] = [
      () => browser?.close(),
      () => dash?.gateway.close(),
      () => authDash?.gateway.close(),
      () => dash?.client.stop(),
      () => authDash?.client.stop(),
      () => svc?.stop(),
      () => peer?.stop(),
      () => registry.close(),
      () => gatewayRegistry.close(),
    ];
    for (const step of steps) await Promise.resolve(step()).catch((e) => console.warn(e));
  }, 30_000);

  afterEach(async () => {
    const problems = open.flatMap((p) => p.problems);
    await Promise.all(open.splice(0).map((p) => p.page.context().close()));
    expect(problems, "uncaught errors or policy violations in the page").toEqual([]);
  });

  describe("home", { timeout: 30_000 }, () => {
    it("lists the TypeScript and the Go service, live", async (ctx) => {
      const page = await newPage("/");
      expect(await page.title()).toBe("Services · Micro");
      const table = page.getByRole("table", { name: "Registered services" });
      const ts = table.locator(`tr[data-service="${TS_SERVICE}"]`);
      expect(await ts.getByRole("rowheader").textContent()).toBe(TS_SERVICE);
      expect(await ts.getByRole("link", { name: TS_SERVICE }).getAttribute("href")).toBe(
        `/services/${TS_SERVICE}`,
      );
      expect(await ts.locator('[data-col="versions"]').textContent()).toBe("1.4.0");
      expect(await ts.locator('[data-col="healthy"]').textContent()).toBe("1 of 1");
      await poll(text(page, "#live-status")).toBe("Live: this table follows the registry.");
      await expectAccessible(page, "home");
      if (goSkip) return ctx.skip(goSkip);
      const go = table.locator(`tr[data-service="${GO_SERVICE}"]`);
      expect(await go.getByRole("rowheader").textContent()).toBe(GO_SERVICE);
      expect(await go.locator('[data-col="versions"]').textContent()).toBe("latest");
      expect(await go.locator('[data-col="healthy"]').textContent()).toBe("1 of 1");
      // rows of whatever else shares this machine's mdns would make the picture differ run to run
      await page.evaluate(
        (ours) => {
          for (const tr of document.querySelectorAll<HTMLElement>("tr[data-service]"))
            if (!ours.includes(tr.dataset.service!)) tr.remove();
        },
        [TS_SERVICE, GO_SERVICE, "micro.http.broker"],
      );
      await screenshot(page, "home");
    });

    it("shows a service registering and leaving without a reload, and announces both", async () => {
      const p = await openPage(browser!);
      open.push(p);
      const { page } = p;
      // everything the live region says, in order (another service on this machine's mdns may
      // speak between ours)
      await page.addInitScript(() => {
        const said: string[] = [];
        Object.assign(window, { said });
        document.addEventListener("DOMContentLoaded", () => {
          const region = document.getElementById("live-status")!;
          new MutationObserver(() => said.push(region.textContent ?? "")).observe(region, {
            childList: true,
            characterData: true,
            subtree: true,
          });
        });
      });
      await page.goto(`${url}/`);
      const said = () => page.evaluate(() => (window as unknown as { said: string[] }).said);
      await poll(said).toContain("Live: this table follows the registry.");
      await page.evaluate(() => Object.assign(window, { sameDocument: true }));
      const row = page.locator(`#services tr[data-service="${LATE_SERVICE}"]`);
      expect(await row.count()).toBe(0);
      const late = mdns();
      try {
        await late.register(lateRecord);
        await row.waitFor({ state: "visible" });
        expect(await row.locator('[data-col="healthy"]').textContent()).toBe("1 of 1");
        await poll(said).toContain(`${LATE_SERVICE} registered: 1 node.`);
        await late.deregister(lateRecord);
      } finally {
        await late.close();
      }
      await row.waitFor({ state: "detached" });
      await poll(said).toContain(`${LATE_SERVICE} is no longer registered.`);
      expect(await page.evaluate(() => "sameDocument" in window), "the page was not reloaded").toBe(true);
      expect(await page.locator(`#services tr[data-service="${TS_SERVICE}"]`).count()).toBe(1);
    });
  });

  describe("a service page", { timeout: 30_000 }, () => {
    it("calls an endpoint from its generated form: the reply, 200 and the latency", async () => {
      const page = await newPage(`/services/${TS_SERVICE}`);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(TS_SERVICE);
      expect(await page.getByRole("table", { name: `Nodes of ${TS_SERVICE}` }).count()).toBe(1);
      const form = page.getByRole("form", { name: "Call Greeter.Hello" });
      await form.getByLabel("name", { exact: true }).fill("Ann");
      await form.getByLabel("loud", { exact: true }).check();
      const before = observed.hello;
      await form.getByRole("button", { name: "Call", exact: true }).click();
      const response = form.getByLabel("Response of Greeter.Hello");
      await response.waitFor({ state: "visible" });
      expect(JSON.parse((await response.textContent())!)).toEqual({ msg: "HELLO ANN" });
      expect(await form.locator('[data-role="status"]').textContent()).toMatch(/^200 OK · \d+(\.\d)? ms$/);
      expect(observed.hello).toBe(before + 1);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, "service");
    });

    it("calls the Go service's endpoint from its form", async (ctx) => {
      if (goSkip) return ctx.skip(goSkip);
      const page = await newPage(`/services/${GO_SERVICE}`);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(GO_SERVICE);
      const form = page.getByRole("form", { name: "Call Greeter.Hello" });
      await form.getByLabel("name", { exact: true }).fill("Gopher");
      await form.getByRole("button", { name: "Call", exact: true }).click();
      const response = form.getByLabel("Response of Greeter.Hello");
      await response.waitFor({ state: "visible" });
      expect(JSON.parse((await response.textContent())!)).toEqual({ msg: "Hello Gopher" });
      expect(await form.locator('[data-role="status"]').textContent()).toMatch(/^200 OK · \d+(\.\d)? ms$/);
    });

    it("shows a server stream's messages one by one, as they arrive", async () => {
      const page = await newPage(`/services/${TS_SERVICE}`);
      const form = page.getByRole("form", { name: "Call Greeter.Count" });
      await form.getByLabel("to", { exact: true }).fill("5");
      await form.getByLabel("everyMs", { exact: true }).fill("200");
      // when each reply's list item appeared, by the page's clock
      await page.evaluate(() => {
        const list = document.querySelector('form[aria-label="Call Greeter.Count"] [data-role="messages"]')!;
        const arrivals: number[] = [];
        Object.assign(window, { arrivals });
        new MutationObserver((changes) => {
          for (const c of changes)
            for (const n of c.addedNodes)
              if ((n as Element).classList?.contains("received")) arrivals.push(performance.now());
        }).observe(list, { childList: true });
      });
      await form.getByRole("button", { name: "Start stream" }).click();
      const status = form.locator('[data-role="status"]');
      await poll(() => status.textContent()).toMatch(/^Stream ended · 5 messages · \d+ ms$/);
      const arrivals = await page.evaluate(() => (window as unknown as { arrivals: number[] }).arrivals);
      expect(arrivals).toHaveLength(5);
      for (let i = 1; i < arrivals.length; i++)
        expect(arrivals[i]! - arrivals[i - 1]!, `message ${i + 1} came after message ${i}`).toBeGreaterThan(
          75,
        );
      const log = form.getByRole("log", { name: "Messages of Greeter.Count" });
      const items = log.locator("li.received pre");
      expect(JSON.parse((await items.nth(4).textContent())!)).toEqual({ n: 5, of: 5 });
      expect(await log.locator("li.sent pre").textContent()).toContain('"everyMs": 200');
      expect(await log.locator("li.received .meta").first().textContent()).toMatch(/^received #1 · /);
    });

    it("stops a long stream, in the page and on the service", async () => {
      const page = await newPage(`/services/${TS_SERVICE}`);
      const form = page.getByRole("form", { name: "Call Greeter.Count" });
      await form.getByLabel("to", { exact: true }).fill("100000");
      await form.getByLabel("everyMs", { exact: true }).fill("100");
      await form.getByRole("button", { name: "Start stream" }).click();
      const received = form.locator("li.received");
      await received.nth(3).waitFor();
      expect(observed.streamsOpen).toBe(1);
      const status = form.locator('[data-role="status"]');
      expect(await status.textContent()).toMatch(/^Streaming · \d+ messages received$/);
      await form.scrollIntoViewIfNeeded();
      await screenshot(page, "stream");
      const stop = form.getByRole("button", { name: "Stop" });
      await stop.click();
      await poll(() => status.textContent()).toMatch(/^Stopped · \d+ messages · \d+ ms$/);
      expect(await stop.isDisabled()).toBe(true);
      expect(await form.getByRole("button", { name: "Start stream" }).isEnabled()).toBe(true);
      const count = await received.count();
      // the gateway half-closes the stream, then cuts it when the service goes on (5 s later)
      await expect.poll(() => observed.streamsOpen, { timeout: 8000, interval: 100 }).toBe(0);
      await page.waitForTimeout(300);
      expect(await received.count(), "no message after Stop").toBe(count);
    });

    it("streams from the Go service (Greeter.ServerStream)", async (ctx) => {
      if (goSkip) return ctx.skip(goSkip);
      const page = await newPage(`/services/${GO_SERVICE}`);
      const form = page.getByRole("form", { name: "Call Greeter.ServerStream" });
      // go-micro advertises a stream's handle, not its messages: the request is raw JSON
      await form.getByLabel("Request JSON").fill('{"count": 4}');
      await form.getByRole("button", { name: "Start stream" }).click();
      const status = form.locator('[data-role="status"]');
      await poll(() => status.textContent()).toMatch(/^Stream ended · 4 messages · \d+ ms$/);
      const replies = await form.locator("li.received pre").allTextContents();
      // protojson: int64 as a string, the zero value left out
      expect(replies.map((r) => JSON.parse(r))).toEqual([{}, { count: "1" }, { count: "2" }, { count: "3" }]);
    });

    it("talks to a bidirectional stream: Send and End input", async () => {
      const page = await newPage(`/services/${TS_SERVICE}`);
      const form = page.getByRole("form", { name: "Call Greeter.Chat" });
      await form.getByLabel("say", { exact: true }).fill("hi");
      await form.getByRole("button", { name: "Start stream" }).click();
      const replies = form.locator("li.received pre");
      await replies.first().waitFor();
      await form.getByLabel("Message JSON").fill('{"say": "again"}');
      await form.getByRole("button", { name: "Send" }).click();
      await replies.nth(1).waitFor();
      await form.getByRole("button", { name: "End input" }).click();
      const status = form.locator('[data-role="status"]');
      await poll(() => status.textContent()).toMatch(/^Stream ended · 2 messages · \d+ ms$/);
      expect((await replies.allTextContents()).map((r) => JSON.parse(r))).toEqual([
        { reply: "HI" },
        { reply: "AGAIN" },
      ]);
    });

    it("shows an error readably: id, code, detail and status", async () => {
      const page = await newPage(`/services/${TS_SERVICE}`);
      const form = page.getByRole("form", { name: "Call Greeter.Fail" });
      await form.getByLabel("order", { exact: true }).fill("42");
      await form.getByRole("button", { name: "Call", exact: true }).click();
      const alert = form.getByRole("alert");
      await alert.locator("dl").waitFor();
      expect(await alert.locator("p").textContent()).toBe("The call failed:");
      expect(await pairs(alert)).toEqual({
        id: TS_SERVICE,
        code: "404",
        detail: 'no order "42": it was never placed',
        status: "Not Found",
      });
      expect(await form.locator('[data-role="status"]').textContent()).toMatch(
        /^404 Not Found · \d+(\.\d)? ms$/,
      );
      expect(await form.getByLabel("Response of Greeter.Fail").isHidden()).toBe(true);
      await form.scrollIntoViewIfNeeded();
      await screenshot(page, "error");
      // the page with a reply, a stream and an error shown is still accessible
      const hello = page.getByRole("form", { name: "Call Greeter.Hello" });
      await hello.getByLabel("name", { exact: true }).fill("axe");
      await hello.getByRole("button", { name: "Call", exact: true }).click();
      await hello.getByLabel("Response of Greeter.Hello").waitFor();
      const count = page.getByRole("form", { name: "Call Greeter.Count" });
      await count.getByLabel("to", { exact: true }).fill("2");
      await count.getByLabel("everyMs", { exact: true }).fill("1");
      await count.getByRole("button", { name: "Start stream" }).click();
      await poll(() => count.locator('[data-role="status"]').textContent()).toMatch(/^Stream ended/);
      await expectAccessible(page, "the service page, with results");
    });

    it("shows a Go service's error the same way", async (ctx) => {
      if (goSkip) return ctx.skip(goSkip);
      const page = await newPage(`/services/${GO_SERVICE}`);
      const form = page.getByRole("form", { name: "Call Greeter.Fail" });
      await form.getByLabel("name", { exact: true }).fill("409");
      await form.getByRole("button", { name: "Call", exact: true }).click();
      const alert = form.getByRole("alert");
      await alert.locator("dl").waitFor();
      expect(await pairs(alert)).toEqual({
        id: GO_SERVICE,
        code: "409",
        detail: "failed: 409",
        status: "Conflict",
      });
      expect(await form.locator('[data-role="status"]').textContent()).toMatch(/^409 Conflict · /);
      await expectAccessible(page, "the Go service's page");
    });

    it("works from the keyboard: the skip link first, Call with Enter and with Space", async () => {
      const page = await newPage(`/services/${TS_SERVICE}`);
      await page.keyboard.press("Tab");
      const focused = () =>
        page.evaluate(() => {
          const a = document.activeElement as HTMLElement | null;
          return {
            tag: a?.tagName,
            id: a?.id,
            text: a?.textContent?.trim(),
            form: a?.closest("form")?.ariaLabel,
          };
        });
      expect(await focused()).toMatchObject({ tag: "A", text: "Skip to content" });
      const box = await page.getByRole("link", { name: "Skip to content" }).boundingBox();
      expect(box!.y, "the focused skip link is on screen").toBeGreaterThanOrEqual(0);
      await page.keyboard.press("Enter");
      expect(await focused()).toMatchObject({ tag: "MAIN", id: "main" });

      const form = page.getByRole("form", { name: "Call Greeter.Hello" });
      await form.getByLabel("name", { exact: true }).focus();
      await page.keyboard.type("Keys");
      for (let i = 0; i < 10; i++) {
        const f = await focused();
        if (f.tag === "BUTTON" && f.text === "Call" && f.form === "Call Greeter.Hello") break;
        await page.keyboard.press("Tab");
      }
      expect(await focused(), "Tab reaches the Call button").toMatchObject({ tag: "BUTTON", text: "Call" });
      const status = form.locator('[data-role="status"]');
      const response = form.getByLabel("Response of Greeter.Hello");
      for (const key of ["Enter", "Space"]) {
        const before = observed.hello;
        await page.evaluate(() => {
          const s = document.querySelector('form[aria-label="Call Greeter.Hello"] [data-role="status"]')!;
          s.textContent = "";
        });
        await page.keyboard.press(key);
        await poll(() => status.textContent(), key).toMatch(/^200 OK · /);
        expect(observed.hello, `${key} called once`).toBe(before + 1);
        expect(JSON.parse((await response.textContent())!)).toEqual({ msg: "Hello Keys" });
        expect(await focused(), `focus stays on Call after ${key}`).toMatchObject({
          tag: "BUTTON",
          text: "Call",
        });
      }

      // a stream started from the keyboard leaves the focus on Stop, and Stop hands it back
      const count = page.getByRole("form", { name: "Call Greeter.Count" });
      await count.getByLabel("to", { exact: true }).fill("1000");
      await count.getByLabel("everyMs", { exact: true }).fill("50");
      await count.getByRole("button", { name: "Start stream" }).focus();
      await page.keyboard.press("Enter");
      await count.locator("li.received").first().waitFor();
      expect(await focused()).toMatchObject({ tag: "BUTTON", text: "Stop", form: "Call Greeter.Count" });
      await page.keyboard.press("Space");
      await poll(() => count.locator('[data-role="status"]').textContent()).toMatch(/^Stopped · /);
      expect(await focused()).toMatchObject({
        tag: "BUTTON",
        text: "Start stream",
        form: "Call Greeter.Count",
      });
    });
  });

  describe("topics", { timeout: 30_000 }, () => {
    it("publishes a message and shows it in the live tail", async () => {
      const page = await newPage("/topics");
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Topics");
      const tail = page.getByRole("form", { name: "Tail a topic" });
      await tail.getByLabel("Topic to tail").fill(TOPIC);
      await tail.getByRole("button", { name: "Subscribe" }).click();
      await poll(text(page, "#tail-status")).toBe(
        `Subscribed to ${TOPIC}: messages appear below as they arrive.`,
      );
      const publish = page.getByRole("form", { name: "Publish a message" });
      await publish.getByLabel("Topic", { exact: true }).fill(TOPIC);
      await publish.getByLabel("Message JSON").fill('{"order": 42, "state": "shipped"}');
      const before = observed.events.length;
      await publish.getByRole("button", { name: "Publish" }).click();
      await poll(text(page, "#publish-status")).toMatch(new RegExp(`^Published to ${TOPIC} · 200 · `));
      const message = page.getByRole("log", { name: "Messages received" }).locator("li");
      await message.first().waitFor();
      expect(await message.count()).toBe(1);
      expect(await message.locator(".meta").textContent()).toMatch(new RegExp(`^${TOPIC} · `));
      expect(JSON.parse((await message.locator("pre").first().textContent())!)).toEqual({
        order: 42,
        state: "shipped",
      });
      // and the TypeScript service's subscriber got it too
      await poll(() => observed.events.length).toBe(before + 1);
      await expectAccessible(page, "topics");
      await page.locator("#publish-title").evaluate((h) => h.scrollIntoView({ block: "start" }));
      await screenshot(page, "topics");
      await tail.getByRole("button", { name: "Stop" }).click();
      await poll(text(page, "#tail-status")).toBe(`Stopped tailing ${TOPIC} · 1 message.`);
    });
  });

  describe("the API explorer", { timeout: 30_000 }, () => {
    it("lists the operations of both services and calls one with Try it", async (ctx) => {
      const page = await newPage("/explorer");
      const ts = page.getByRole("region", { name: TS_SERVICE, exact: true });
      const hello = ts.getByRole("article", { name: `Greeter.Hello of ${TS_SERVICE}` });
      await hello.waitFor();
      await poll(text(page, "#explorer-status")).toMatch(/^\d+ operations in \d+ services?\.$/);
      await expectAccessible(page, "the explorer");
      await screenshot(page, "explorer");
      await hello.getByText("Try it").click();
      await hello.getByLabel("Request JSON").fill('{"name": "Explorer"}');
      await hello.getByRole("button", { name: "Call", exact: true }).click();
      const response = hello.getByLabel("Response of Greeter.Hello");
      await response.waitFor({ state: "visible" });
      expect(JSON.parse((await response.textContent())!)).toEqual({ msg: "Hello Explorer" });
      await expectAccessible(page, "the explorer, with Try it open");
      if (goSkip) return ctx.skip(goSkip);
      const go = page.getByRole("region", { name: GO_SERVICE, exact: true });
      expect(await go.getByRole("article", { name: `Greeter.Hello of ${GO_SERVICE}` }).count()).toBe(1);
    });
  });

  describe("the login gate", { timeout: 30_000 }, () => {
    const token = () =>
      signJwt(
        { sub: "ann", type: "user", scopes: ["*"], exp: Math.floor(Date.now() / 1000) + 600 },
        { secret: JWT_SECRET },
      );
    const callFromPage = (page: Page) =>
      page.evaluate(async (service) => {
        const res = await fetch(`/api/${service}/Greeter.Hello`, { method: "POST", body: '{"name":"page"}' });
        return res.status;
      }, TS_SERVICE);

    it("sends every page to /login, keeps the API shut, lets a token in and signs out", async () => {
      const page = await newPage("/", authUrl);
      for (const path of ["/", `/services/${TS_SERVICE}`, "/topics", "/explorer"]) {
        await page.goto(`${authUrl}${path}`);
        const at = new URL(page.url());
        expect(`${at.pathname}${at.search}`, path).toBe(`/login?next=${encodeURIComponent(path)}`);
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Sign in");
      }
      expect(await callFromPage(page), "an API call from the page without the cookie").toBe(401);
      await expectAccessible(page, "login");
      await screenshot(page, "login");

      // a refused token: said in the alert, the field marked
      await page.getByLabel("Token").fill("not-a-token");
      await page.getByRole("button", { name: "Sign in" }).click();
      expect(await page.locator("#login-error").textContent()).toMatch(/^That token was refused: /);
      expect(await page.getByLabel("Token").getAttribute("aria-invalid")).toBe("true");
      await expectAccessible(page, "login, with a refused token");

      await page.getByLabel("Token").fill(token());
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${authUrl}/explorer`);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("API explorer");
      await page.goto(`${authUrl}/services/${TS_SERVICE}`);
      const form = page.getByRole("form", { name: "Call Greeter.Hello" });
      await form.getByLabel("name", { exact: true }).fill("Signed");
      await form.getByRole("button", { name: "Call", exact: true }).click();
      await form.getByLabel("Response of Greeter.Hello").waitFor();
      expect(await form.locator('[data-role="status"]').textContent()).toMatch(/^200 OK · /);
      expect(await callFromPage(page)).toBe(200);
      expect(await page.evaluate(() => document.cookie), "the token cookie is HttpOnly").not.toContain(
        "micro_token",
      );

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${authUrl}/login`);
      expect(await callFromPage(page), "signed out").toBe(401);
      await page.goto(`${authUrl}/topics`);
      expect(new URL(page.url()).pathname).toBe("/login");
    });
  });
});

/** An alert's micro error as {dt: dd}. */
async function pairs(alert: ReturnType<Page["getByRole"]>): Promise<Record<string, string>> {
  const keys = await alert.locator("dt").allTextContents();
  const values = await alert.locator("dd").allTextContents();
  return Object.fromEntries(keys.map((k, i) => [k, values[i]!]));
}
