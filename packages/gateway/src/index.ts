export type { Account } from "./auth/account.js";
export {
  type AuthCheck,
  type AuthRequest,
  type AuthResult,
  hasScope,
  requiredScopes,
  TOKEN_COOKIE,
  tokenOf,
} from "./auth/check.js";
export { createJwtAuth, signJwt, verifyJwt } from "./auth/jwt.js";
export { resolveClassic } from "./classic/resolve.js";
export type { GatewayContext } from "./context.js";
export { createGateway, Gateway } from "./gateway.js";
export { readBody } from "./http/body.js";
export { type Cors, type CorsOptions, createCors } from "./http/cors.js";
export { createRateLimiter, type RateLimiter, type RateLimiterOptions } from "./limits/rate-limit.js";
export { buildOpenApiDocument } from "./openapi/document.js";
export {
  buildSchemaSet,
  type Dialect,
  dialectOf,
  type JsonSchema,
  type SchemaSet,
  type SchemaSource,
  scalarSchema,
} from "./openapi/schema.js";
export type {
  GatewayOptions,
  GatewayRoute,
  HandlerName,
  RequestInfo,
  TlsFiles,
} from "./options.js";
export { isGoContext, isGoStreamHandle, type StreamKind, streamKind } from "./registry/endpoint-kind.js";
export { LiveServices, type LiveServicesOptions } from "./registry/live-services.js";
export {
  type BrokerRoutesOptions,
  brokerRoutes,
  createSidecar,
  Sidecar,
  type SidecarOptions,
  type SidecarProgram,
} from "./sidecar/index.js";
export { parseCloseReason } from "./stream/close-codes.js";
