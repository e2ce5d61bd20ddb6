export type { Account } from "./auth/account.js";
export {
  type AuthCheck,
  type AuthRequest,
  type AuthResult,
  hasScope,
  requiredScopes,
  tokenOf,
} from "./auth/check.js";
export { createJwtAuth, signJwt, verifyJwt } from "./auth/jwt.js";
export { resolveClassic } from "./classic/resolve.js";
export { createGateway, Gateway } from "./gateway.js";
export type { CorsOptions } from "./http/cors.js";
export { buildOpenApiDocument } from "./openapi/document.js";
export type {
  GatewayOptions,
  GatewayRoute,
  HandlerName,
  RequestInfo,
  TlsFiles,
} from "./options.js";
export { createSidecar, Sidecar, type SidecarOptions, type SidecarProgram } from "./sidecar/index.js";
export { parseCloseReason } from "./stream/close-codes.js";
