// `/login` and `/logout`, both public. POST /login hands the pasted token to the gateway's own auth
// check (the one every other request meets), and only a token it accepts becomes the cookie; then
// the browser goes to `next` (a path on this site, redirect-target.ts). A login form posted from
// another site is refused, so no page elsewhere can sign a visitor in as someone else.
import type { IncomingMessage } from "node:http";
import type { GatewayRoute } from "@micro/gateway";
import { readForm } from "../form-body.js";
import { redirect, sendHtml } from "../headers.js";
import { loginPage } from "../pages/login.js";
import { PATHS } from "../paths.js";
import { safeNext } from "../redirect-target.js";
import { clearedCookie, fitsCookie, secondsLeft, tokenCookie } from "../token-cookie.js";
import type { PageContextOf } from "./page-route.js";

const MAX_FORM_BYTES = 64 * 1024;

/** The form came from a page of this site (Origin, else Fetch Metadata; neither: a non-browser client). */
function sameSite(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    try {
      const host = new URL(origin).host;
      // behind a proxy that rewrites Host, the name the browser used is in X-Forwarded-Host
      return host === req.headers.host || host === req.headers["x-forwarded-host"];
    } catch {
      return false; // "null": a sandboxed or privacy-sensitive context
    }
  }
  const site = req.headers["sec-fetch-site"];
  return site === undefined || site === "same-origin" || site === "none";
}

export function loginRoutes(contextOf: PageContextOf): GatewayRoute[] {
  const login: GatewayRoute = {
    path: PATHS.login,
    public: true,
    async handle(req, res, info) {
      const page = contextOf(info);
      const { auth, tls } = info.gateway.options;
      if (req.method === "GET" || req.method === "HEAD") {
        sendHtml(req, res, 200, loginPage(page, safeNext(info.query.get("next"))));
        return;
      }
      if (req.method !== "POST") {
        sendHtml(req, res, 405, loginPage(page, PATHS.home), { Allow: "GET, HEAD, POST" });
        return;
      }
      if (!auth) {
        redirect(req, res, PATHS.home);
        return;
      }
      if (!sameSite(req)) {
        sendHtml(req, res, 403, loginPage(page, PATHS.home, "the form was not sent from this site"));
        return;
      }
      const form = await readForm(req, MAX_FORM_BYTES);
      const next = safeNext(form.get("next"));
      const token = (form.get("token") ?? "").trim();
      if (!token) {
        sendHtml(req, res, 400, loginPage(page, next, "no token was given"));
        return;
      }
      if (!fitsCookie(token)) {
        sendHtml(req, res, 400, loginPage(page, next, "it holds characters a cookie cannot keep"));
        return;
      }
      const result = await auth({
        token,
        method: "GET",
        path: new URL(next, "http://x.invalid").pathname,
        headers: req.headers,
        remoteAddress: req.socket.remoteAddress ?? "",
      });
      if (!result.allow) {
        sendHtml(req, res, 401, loginPage(page, next, result.detail));
        return;
      }
      redirect(req, res, next, { "Set-Cookie": tokenCookie(token, tls !== undefined, secondsLeft(token)) });
    },
  };
  const logout: GatewayRoute = {
    path: PATHS.logout,
    public: true,
    handle(req, res, info) {
      const { auth, tls } = info.gateway.options;
      redirect(req, res, auth ? PATHS.login : PATHS.home, { "Set-Cookie": clearedCookie(tls !== undefined) });
    },
  };
  return [login, logout];
}
