// The pages: `/` (services), `/services/{name}`, `/topics`, `/explorer`. `/services` alone goes home,
// where the list is.
import type { GatewayContext, GatewayRoute } from "@micro/gateway";
import { redirect, sendHtml } from "../headers.js";
import { explorerPage } from "../pages/explorer.js";
import { homePage, type WebApp } from "../pages/home.js";
import { serviceNotFound, servicePage } from "../pages/service.js";
import { type TopicRow, topicsPage } from "../pages/topics.js";
import { PATHS } from "../paths.js";
import { allServices, cmp, serviceNames, summaries } from "../summary.js";
import { type PageContextOf, pageRoute } from "./page-route.js";

// micro web's service name pattern: what the web handler can route `/{name}/` to
const WEB_NAME = /^[a-zA-Z0-9]+([a-zA-Z0-9-]*[a-zA-Z0-9]*)?$/;

/** Web services the gateway proxies, when its fallback is the classic `web` handler (`micro web`). */
function webApps(ctx: GatewayContext, names: string[]): WebApp[] {
  const { classic, handler, webNamespace } = ctx.options;
  if (!classic || handler !== "web") return [];
  const prefix = webNamespace ? `${webNamespace}.` : "";
  return names
    .filter((n) => n.startsWith(prefix) && WEB_NAME.test(n.slice(prefix.length)))
    .map((n) => ({ service: n, path: `/${n.slice(prefix.length)}/` }));
}

async function topicRows(ctx: GatewayContext): Promise<TopicRow[]> {
  const byTopic = new Map<string, Set<string>>();
  for (const s of await allServices(ctx)) {
    for (const e of s.endpoints ?? []) {
      const topic = e.metadata?.subscriber === "true" ? e.metadata.topic : undefined;
      if (!topic) continue;
      byTopic.set(topic, (byTopic.get(topic) ?? new Set()).add(s.name));
    }
  }
  return [...byTopic.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([topic, services]) => ({ topic, services: [...services].sort(cmp) }));
}

export function pageRoutes(contextOf: PageContextOf): GatewayRoute[] {
  return [
    pageRoute(PATHS.home, contextOf, async (req, res, info, page) => {
      const services = await summaries(info.gateway);
      const apps = webApps(
        info.gateway,
        services.map((s) => s.name),
      );
      sendHtml(req, res, 200, homePage(page, services, apps));
    }),
    pageRoute(PATHS.services, contextOf, (req, res) => redirect(req, res, PATHS.home)),
    pageRoute(`${PATHS.services}/`, contextOf, async (req, res, info, page) => {
      const name = info.path.slice(PATHS.services.length + 1);
      if (!name) {
        redirect(req, res, PATHS.home);
        return;
      }
      const versions = await info.gateway.registry.getService(name);
      if (!versions.length) {
        sendHtml(req, res, 404, serviceNotFound(page, name));
        return;
      }
      sendHtml(req, res, 200, servicePage(page, name, versions, info.gateway.options.api));
    }),
    pageRoute(PATHS.topics, contextOf, async (req, res, info, page) => {
      const topic = info.query.get("topic") ?? "";
      sendHtml(
        req,
        res,
        200,
        topicsPage(page, await topicRows(info.gateway), topic, info.gateway.broker !== undefined),
      );
    }),
    pageRoute(PATHS.explorer, contextOf, async (req, res, info, page) => {
      sendHtml(req, res, 200, explorerPage(page, await serviceNames(info.gateway)));
    }),
  ];
}
