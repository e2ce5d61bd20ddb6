// The dashboard as routes for any gateway: its pages, the live registry stream, its assets, the
// login pages and (unless told otherwise) the broker routes its topics page uses.
import { brokerRoutes, type GatewayRoute, type RequestInfo } from "@micro/gateway";
import { Assets } from "./assets.js";
import type { PageContext } from "./layout.js";
import { type DashboardOptions, resolveDashboard } from "./options.js";
import { assetRoutes } from "./routes/assets.js";
import { eventsRoute } from "./routes/events.js";
import { loginRoutes } from "./routes/login.js";
import { pageRoutes } from "./routes/pages.js";

/**
 * The dashboard's routes, to mount with `createGateway({ routes: dashboardRoutes() })`. None is
 * public but `/login`, `/logout` and the stylesheet: with `auth` on, set the gateway's `loginPath`
 * to `/login` so a browser without a token is sent there (createDashboard does both).
 */
export function dashboardRoutes(options: DashboardOptions = {}): GatewayRoute[] {
  const o = resolveDashboard(options);
  const assets = new Assets();
  const contextOf = (info: RequestInfo): PageContext => ({
    title: o.title,
    assets,
    auth: info.gateway.options.auth !== undefined,
    openapi: info.gateway.options.openapi,
  });
  return [
    ...pageRoutes(contextOf),
    ...loginRoutes(contextOf),
    eventsRoute(o),
    ...assetRoutes(assets),
    ...(o.broker ? brokerRoutes(o.broker) : []),
  ];
}
