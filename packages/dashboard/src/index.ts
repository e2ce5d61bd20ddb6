export { createDashboard, type DashboardGatewayOptions } from "./create.js";
export { dashboardRoutes } from "./dashboard-routes.js";
export type { DashboardOptions } from "./options.js";
export { PATHS as DASHBOARD_PATHS } from "./paths.js";
