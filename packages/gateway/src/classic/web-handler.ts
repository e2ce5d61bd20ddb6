// The classic `web` handler: web apps registered under the web namespace, as `micro web` and the
// go-api web handler served them (micro/micro web/web.go + web/resolver.go, go-api handler/web):
//   /foo        → go.micro.web.foo   path /      X-Micro-Web-Base-Path: /foo
//   /foo/bar?q  → go.micro.web.foo   path /bar?q X-Micro-Web-Base-Path: /foo
// The service prefix is stripped so an app can use absolute paths, and the header tells it where it
// is mounted (for building links). The node sees its own address as Host, as Go set `req.Host`.
// WebSocket upgrades are forwarded to the same node; everything else is the http handler's proxy.
import type { IncomingMessage } from "node:http";
import { MicroError } from "@micro/core";
import { GATEWAY_ID } from "../http/errors.js";
import type { RequestInfo } from "../options.js";
import type { ClassicHandler, ClassicTarget } from "./handler.js";
import { pickNode, proxyRequest, proxyUpgrade, type Upstream } from "./proxy-handler.js";

export const BASE_PATH_HEADER = "X-Micro-Web-Base-Path";

// micro web's service name pattern
const NAME = /^[a-zA-Z0-9]+([a-zA-Z0-9-]*[a-zA-Z0-9]*)?$/;

export interface WebRoute {
  /** The first path part: the service's name under the namespace. */
  name: string;
  /** What the app sees: the rest of the path, with the query. */
  path: string;
}

/** Splits the raw request URI, so the app gets the path exactly as the client encoded it. */
export function webRoute(url: string): WebRoute | undefined {
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? "" : url.slice(q);
  const parts = rawPath.split("/");
  const name = parts[1] ?? "";
  // an encoded name never matches: letters, digits and "-" need no encoding
  if (!NAME.test(name)) return undefined;
  return { name, path: `/${parts.slice(2).join("/")}${query}` };
}

async function webTarget(info: RequestInfo, target: ClassicTarget, req: IncomingMessage): Promise<Upstream> {
  const route = webRoute(req.url ?? "/");
  if (!route) throw MicroError.notFound(GATEWAY_ID, `no web service for ${info.path}`);
  const namespace = info.gateway.options.webNamespace;
  const service = namespace ? `${namespace}.${route.name}` : route.name;
  const node = await pickNode(info, target, service);
  return { node, path: route.path, host: node.address, headers: { [BASE_PATH_HEADER]: `/${route.name}` } };
}

export const webHandler: ClassicHandler = {
  async handle(req, res, info, target) {
    await proxyRequest(req, res, info, await webTarget(info, target, req));
  },
  async upgrade(req, socket, head, info, target) {
    await proxyUpgrade(req, socket, head, info, await webTarget(info, target, req));
  },
};
