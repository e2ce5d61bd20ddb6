// The frame of every page: skip link, header with the site name and the main navigation, one <main>
// holding the page's h1, and the page's script (a module: deferred, and the policy's 'self' allows it).
import type { Assets } from "./assets.js";
import { type Html, html } from "./html.js";
import { PATHS } from "./paths.js";

export type Section = "services" | "topics" | "explorer" | "login" | undefined;

/** What every page needs to know about where it is served. */
export interface PageContext {
  title: string;
  assets: Assets;
  /** The gateway checks tokens: show the sign-out button. */
  auth: boolean;
  /** The gateway serves /openapi.json. */
  openapi: boolean;
}

export interface Page {
  /** The page's own name, first in <title>. */
  title: string;
  section: Section;
  main: Html;
  /** Asset file names of the page's scripts. */
  scripts?: string[];
  /** Say nothing of signing out (the login page itself). */
  bare?: boolean;
}

const NAV: [Exclude<Section, "login" | undefined>, string, string][] = [
  ["services", PATHS.home, "Services"],
  ["topics", PATHS.topics, "Topics"],
  ["explorer", PATHS.explorer, "API explorer"],
];

export function layout(ctx: PageContext, page: Page): Html {
  const nav = NAV.map(
    ([section, href, label]) =>
      html`<li><a href="${href}"${page.section === section ? html` aria-current="page"` : ""}>${label}</a></li>`,
  );
  const signOut =
    ctx.auth && !page.bare
      ? html`<form class="sign-out" method="post" action="${PATHS.logout}"><button type="submit">Sign out</button></form>`
      : "";
  return html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · ${ctx.title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ctx.assets.url("style.css")}">
${(page.scripts ?? []).map((s) => html`<script type="module" src="${ctx.assets.url(s)}"></script>\n`)}</head>
<body${ctx.auth ? html` data-auth="on"` : ""}>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site">
<a class="brand" href="${PATHS.home}">${ctx.title}</a>
${page.bare ? "" : html`<nav aria-label="Main"><ul>${nav}</ul></nav>`}
${signOut}
</header>
<main id="main" tabindex="-1">
${page.main}
</main>
<footer class="site"><p>Served by the Micro gateway${ctx.openapi ? html` · <a href="/openapi.json">OpenAPI document</a>` : ""} · <a href="/health">Health</a></p></footer>
</body>
</html>
`;
}
