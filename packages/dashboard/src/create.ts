// A gateway with the dashboard mounted: every gateway route (/api, /rpc, /openapi.json...) plus the
// dashboard's pages, and with auth on, browsers without a token sent to the login page.
import { createGateway, type Gateway, type GatewayOptions } from "@micro/gateway";
import { dashboardRoutes } from "./dashboard-routes.js";
import type { DashboardOptions } from "./options.js";
import { PATHS } from "./paths.js";

export interface DashboardGatewayOptions extends GatewayOptions {
  dashboard?: DashboardOptions;
}

export function createDashboard(options: DashboardGatewayOptions = {}): Gateway {
  const { dashboard, ...gateway } = options;
  return createGateway({
    ...gateway,
    // routes the caller gives come after the dashboard's, so they win a path both claim
    routes: [...dashboardRoutes(dashboard), ...(gateway.routes ?? [])],
    loginPath: gateway.loginPath ?? (gateway.auth ? PATHS.login : undefined),
  });
}
