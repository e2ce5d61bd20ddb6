// The sidecar: a gateway plus /registry and /broker, so programs in any language join the mesh.

export { type BrokerRoutesOptions, brokerRoutes } from "./broker-routes.js";
export type { SidecarOptions, SidecarProgram } from "./options.js";
export { createSidecar, Sidecar } from "./sidecar.js";
