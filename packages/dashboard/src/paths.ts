// The dashboard's URLs, in one place: pages link each other through these.

export const PATHS = {
  home: "/",
  services: "/services",
  topics: "/topics",
  explorer: "/explorer",
  login: "/login",
  logout: "/logout",
  events: "/dashboard/events",
} as const;

export function servicePath(name: string): string {
  return `${PATHS.services}/${encodeURIComponent(name)}`;
}

/** The id of an endpoint's section on its service page (the explorer's links point at it). */
export function endpointAnchor(endpoint: string): string {
  return `endpoint-${endpoint.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}
