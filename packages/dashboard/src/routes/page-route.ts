// A dashboard page as a gateway route: GET (and HEAD) only, rendered per request, and a failure
// (the registry down, say) shown as a page with the micro error rather than as bare JSON.
import type { IncomingMessage, ServerResponse } from "node:http";
import { isMicroError, MicroError } from "@micro/core";
import type { GatewayRoute, RequestInfo } from "@micro/gateway";
import { sendHtml } from "../headers.js";
import { type Html, html } from "../html.js";
import { layout, type PageContext } from "../layout.js";

export type PageContextOf = (info: RequestInfo) => PageContext;

export type PageHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  page: PageContext,
) => Promise<void> | void;

export function pageRoute(path: string, contextOf: PageContextOf, render: PageHandler): GatewayRoute {
  return {
    path,
    async handle(req, res, info) {
      if (req.method !== "GET" && req.method !== "HEAD") {
        throw new MicroError("go.micro.dashboard", `${req.method} ${info.path}: pages answer GET`, 405);
      }
      const page = contextOf(info);
      try {
        await render(req, res, info, page);
      } catch (err) {
        if (res.headersSent) throw err;
        const e = isMicroError(err)
          ? err
          : MicroError.internal("go.micro.dashboard", err instanceof Error ? err.message : String(err));
        const status = e.code >= 400 && e.code <= 599 ? e.code : 500;
        sendHtml(req, res, status, errorPage(page, e));
      }
    },
  };
}

function errorPage(ctx: PageContext, e: MicroError): Html {
  const main = html`<h1>This page could not be built</h1>
<div class="error" role="alert">
<dl class="micro-error"><dt>id</dt><dd>${e.id}</dd><dt>code</dt><dd>${e.code}</dd><dt>detail</dt><dd>${e.detail}</dd><dt>status</dt><dd>${e.status}</dd></dl>
</div>
<p>Reload to try again.</p>`;
  return layout(ctx, { title: "Error", section: undefined, main });
}
