/// <reference lib="dom" />
// Chromium through playwright-core (the system's /usr/bin/chromium: nothing is downloaded), axe-core
// for the accessibility checks, and the screenshots the README shows.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { CHROMIUM } from "./prerequisites.js";

export type { Browser, BrowserContext, Page };

// Every run writes its screenshots to screenshots/latest/ (ignored by git: ports, times and latencies
// change each run); MICRO_UPDATE_SCREENSHOTS=1 writes the committed ones the README shows instead.
export const SCREENSHOTS = fileURLToPath(
  new URL(
    process.env.MICRO_UPDATE_SCREENSHOTS === "1" ? "../../../screenshots/" : "../../../screenshots/latest/",
    import.meta.url,
  ),
);
export const VIEWPORT = { width: 1280, height: 800 };

/** Headless Chromium with a fresh profile (playwright makes one per launch and deletes it on close). */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    timeout: 30_000,
  });
}

/**
 * A page in its own context (own cookies), 1280×800. Uncaught script errors and policy violations
 * are kept in `problems`: the dashboard's scripts must run under its Content-Security-Policy.
 */
export async function openPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: "en-GB", timezoneId: "UTC" });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content.Security.Policy|Refused to/i.test(m.text()))
      problems.push(`policy: ${m.text()}`);
  });
  return { page, problems };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
  html: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/**
 * axe-core's WCAG 2 A and AA rules on the page as it is now; the violations, readably, or "".
 * The pages forbid inline script (`script-src 'self'`), so axe is evaluated through the DevTools
 * protocol, which the policy does not govern, instead of an injected <script> tag.
 */
export async function axeViolations(page: Page): Promise<string> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // axe: the script evaluated above
    const { axe } = window as unknown as {
      axe: { run(c: Document, o: object): Promise<{ violations: unknown }> };
    };
    const result = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] });
    return result.violations as AxeViolation[];
  });
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n${v.nodes
          .map(
            (n) =>
              `  - ${n.target.join(" ")}\n    ${n.html}\n    ${(n.failureSummary ?? "").replaceAll("\n", "\n    ")}`,
          )
          .join("\n")}`,
    )
    .join("\n");
}

/** The viewport as packages/dashboard/screenshots/[latest/]{name}.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // no blinking caret or running transition in the picture
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, caret: "hide", animations: "disabled" });
}
