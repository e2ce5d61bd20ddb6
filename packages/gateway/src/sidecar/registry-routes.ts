// /registry: the registry over plain HTTP, in go-micro's JSON form of registry.Service.
//   GET    /registry                    every service (sorted by name)
//   GET    /registry/{name}             the service's versions; 404 when unknown
//   POST   /registry[?ttl=30s]          register (body: a registry.Service; `ttl` may be a body field)
//   DELETE /registry                    deregister the nodes in the body
//   DELETE /registry/{name}[?node={id}] deregister one node, or every node of the service
import type { ServerResponse } from "node:http";
import { MicroError, type Service } from "@micro/core";
import { encodeService } from "@micro/core/plugin-kit";
import type { GatewayContext } from "../context.js";
import { readBody } from "../http/body.js";
import { GATEWAY_ID } from "../http/errors.js";
import { sendBytes } from "../http/reply.js";
import type { GatewayRoute, RequestInfo } from "../options.js";
import type { NodeLeases } from "./leases.js";
import { withMeshMetadata } from "./node-metadata.js";
import { parseJsonObject, serviceOf, ttlOf } from "./registry-body.js";

const OK = '{"status":"ok"}\n';

function records(services: Service[]): string {
  return `[${services.map(encodeService).join(",")}]\n`;
}

function notAllowed(method: string | undefined, path: string, allowed: string): MicroError {
  return new MicroError(GATEWAY_ID, `${method} ${path}: use ${allowed}`, 405);
}

export function registryRoutes(leases: NodeLeases): GatewayRoute[] {
  return [
    {
      path: "/registry",
      async handle(req, res, info) {
        const ctx = info.gateway;
        switch (req.method) {
          case "GET":
          case "HEAD": {
            const all = await ctx.registry.listServices();
            all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
            sendBytes(res, 200, records(all));
            return;
          }
          case "POST":
            await register(ctx, await body(req, ctx), info, res, leases);
            return;
          case "DELETE": {
            const service = serviceOf(await body(req, ctx), false);
            await ctx.registry.deregister(service);
            leases.forget(service.name, service.nodes);
            sendBytes(res, 200, OK);
            return;
          }
          default:
            throw notAllowed(req.method, info.path, "GET, POST or DELETE");
        }
      },
    },
    {
      path: "/registry/",
      async handle(req, res, info) {
        const ctx = info.gateway;
        const name = info.path.slice("/registry/".length);
        if (!name || name.includes("/")) throw MicroError.notFound(GATEWAY_ID, `no route for ${info.path}`);
        if (req.method === "GET" || req.method === "HEAD") {
          const versions = await ctx.registry.getService(name);
          if (versions.length === 0) throw MicroError.notFound(GATEWAY_ID, `service ${name}: not found`);
          sendBytes(res, 200, records(versions));
          return;
        }
        if (req.method !== "DELETE") throw notAllowed(req.method, info.path, "GET or DELETE");
        await deregisterNamed(ctx, name, info.query.get("node") || undefined, leases);
        sendBytes(res, 200, OK);
      },
    },
  ];
}

function body(req: Parameters<GatewayRoute["handle"]>[0], ctx: GatewayContext) {
  return readBody(req, ctx.options.maxBodyBytes).then(parseJsonObject);
}

async function register(
  ctx: GatewayContext,
  raw: Record<string, unknown>,
  info: RequestInfo,
  res: ServerResponse,
  leases: NodeLeases,
): Promise<void> {
  const ttl = ttlOf(info.query.get("ttl"), raw.ttl ?? raw.TTL);
  const parsed = serviceOf(raw, true);
  const service: Service = {
    ...parsed,
    nodes: parsed.nodes.map((n) => ({ ...n, metadata: withMeshMetadata(ctx, n.metadata) })),
  };
  await ctx.registry.register(service, ttl ? { ttl } : {});
  leases.renew(ctx, service, ttl);
  sendBytes(res, 200, OK);
}

async function deregisterNamed(
  ctx: GatewayContext,
  name: string,
  nodeId: string | undefined,
  leases: NodeLeases,
): Promise<void> {
  const versions = await ctx.registry.getService(name);
  const targets: Service[] = [];
  for (const v of versions) {
    const nodes = nodeId === undefined ? v.nodes : v.nodes.filter((n) => n.id === nodeId);
    if (nodes.length > 0) targets.push({ ...v, nodes });
  }
  if (targets.length === 0) {
    throw MicroError.notFound(
      GATEWAY_ID,
      nodeId ? `service ${name}: no node ${nodeId}` : `service ${name}: not found`,
    );
  }
  for (const t of targets) {
    await ctx.registry.deregister(t);
    leases.forget(name, t.nodes);
  }
}
