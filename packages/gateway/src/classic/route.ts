// Every path no other route takes: go-micro v5 `micro api`'s `/{service}/{Handler.Method}`, else the
// classic namespace mapping (classic/resolve.ts) with the handler the flag names, or the one the
// endpoint's metadata names (`handler`, as go-micro's api.WithEndpoint writes it).
import { MicroError } from "@micro/core";
import type { RegistryCache } from "@micro/registry-cache";
import { GATEWAY_ID } from "../http/errors.js";
import { sendJson } from "../http/reply.js";
import { type GatewayRoute, HANDLERS, type HandlerName, type RequestInfo } from "../options.js";
import { describeService, listServices } from "../rpc/listing.js";
import type { ClassicTarget } from "./handler.js";
import { CLASSIC_HANDLERS } from "./handlers.js";
import { resolveClassic } from "./resolve.js";

async function targetOf(
  info: RequestInfo,
  cache: RegistryCache,
  handler: HandlerName,
  endpointHeader: string | undefined,
): Promise<ClassicTarget | undefined> {
  const { options } = info.gateway;
  const parts = info.path.split("/").filter(Boolean);
  // v5 `micro api`: the Micro-Endpoint header, or a second part naming the endpoint itself
  // (Greeter.Hello), names the endpoint of the first part's service, no namespace
  const endpoint =
    parts.length > 0 && endpointHeader
      ? endpointHeader
      : parts.length === 2 && parts[1]!.includes(".")
        ? parts[1]!
        : undefined;
  if (endpoint) {
    const versions = await cache.get(parts[0]!).catch(() => []);
    return {
      name: parts[0]!,
      service: parts[0]!,
      endpoint,
      versions,
      record: recordOf(versions, endpoint),
    };
  }
  const namespace = handler === "web" ? options.webNamespace : options.namespace;
  const route = resolveClassic(info.path, namespace);
  if (!route) return undefined;
  const versions = await cache.get(route.service).catch(() => []);
  return { ...route, versions, record: recordOf(versions, route.endpoint) };
}

function recordOf(versions: ClassicTarget["versions"], endpoint: string) {
  for (const v of versions) {
    const e = v.endpoints.find((x) => x.name === endpoint);
    if (e) return e;
  }
  return undefined;
}

function handlerOf(target: ClassicTarget, fallback: HandlerName): HandlerName {
  const named = target.record?.metadata.handler as HandlerName | undefined;
  return named && HANDLERS.includes(named) ? named : fallback;
}

export function classicRoute(cache: RegistryCache): GatewayRoute {
  const resolve = async (info: RequestInfo, endpointHeader: string | string[] | undefined) => {
    const fallback = info.gateway.options.handler;
    const header = typeof endpointHeader === "string" ? endpointHeader : undefined;
    const target = await targetOf(info, cache, fallback, header);
    if (!target) return undefined;
    const name = handlerOf(target, fallback);
    const handler = CLASSIC_HANDLERS[name];
    if (!handler) throw new MicroError(GATEWAY_ID, `handler ${name} is not available`, 501);
    return { target, handler };
  };
  return {
    path: "/",
    async handle(req, res, info) {
      if (info.path === "/" && req.method === "GET") {
        sendJson(res, 200, await listServices(info.gateway.registry));
        return;
      }
      const found = await resolve(info, req.headers["micro-endpoint"]);
      if (!found) throw MicroError.notFound(GATEWAY_ID, `no route for ${info.path}`);
      // v5 `micro api`'s GET /{service} describes the service: taken when the classic mapping
      // (go.micro.api.{service}) names nothing registered, so no classic route changes
      const parts = info.path.split("/").filter(Boolean);
      if (req.method === "GET" && parts.length === 1 && found.target.versions.length === 0) {
        if ((await cache.get(parts[0]!).catch(() => [])).length > 0) {
          sendJson(res, 200, await describeService(info.gateway.registry, parts[0]!));
          return;
        }
      }
      await found.handler.handle(req, res, info, found.target);
    },
    async upgrade(req, socket, head, info) {
      const found = await resolve(info, req.headers["micro-endpoint"]);
      if (!found?.handler.upgrade)
        throw MicroError.notFound(GATEWAY_ID, `no WebSocket route for ${info.path}`);
      await found.handler.upgrade(req, socket, head, info, found.target);
    },
  };
}
