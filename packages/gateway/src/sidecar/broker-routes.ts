// /broker/{topic} and go-micro v5's /micro/broker/{topic}:
//   POST                                       publish the body
//   GET + WebSocket upgrade                    subscribe, one frame per message
//   GET + Accept: text/event-stream            subscribe, one event per message
// `?queue=name` joins a queue group (each message to one member); `?envelope=1` (WebSocket) wraps
// each message with its headers, as the event stream always does.
// brokerRoutes() is the same routes for any gateway (the dashboard's topics page), not only the sidecar.
import { MicroError } from "@micro/core";
import { GATEWAY_ID } from "../http/errors.js";
import type { GatewayRoute } from "../options.js";
import { serveEvents, wantsEvents } from "./events.js";
import { resolveSidecar, type SidecarSettings } from "./options.js";
import { publish } from "./publish.js";
import { SubscriberSockets } from "./sockets.js";
import { Subscribers, topicOf } from "./subscribers.js";

export interface BrokerRouteDeps {
  settings: SidecarSettings;
  subscribers: Subscribers;
  sockets: SubscriberSockets;
}

const TRUE = new Set(["1", "true", "yes", "on"]);

export function brokerRoute(prefix: string, deps: BrokerRouteDeps): GatewayRoute {
  return {
    path: prefix,
    async handle(req, res, info) {
      const topic = topicOf(info.path, prefix);
      if (req.method === "POST") {
        await publish(info.gateway, req, res, topic);
        return;
      }
      if (req.method === "GET" && wantsEvents(req)) {
        const queue = info.query.get("queue") || undefined;
        await serveEvents(info.gateway, deps.settings, deps.subscribers, req, res, topic, queue);
        return;
      }
      throw new MicroError(
        GATEWAY_ID,
        `${req.method} ${info.path}: POST publishes; GET subscribes as a WebSocket or with Accept: text/event-stream`,
        405,
      );
    },
    async upgrade(req, socket, head, info) {
      const topic = topicOf(info.path, prefix);
      await deps.sockets.open(info.gateway, deps.settings, deps.subscribers, req, socket, head, topic, {
        queue: info.query.get("queue") || undefined,
        envelope: TRUE.has((info.query.get("envelope") ?? "").toLowerCase()),
      });
    },
  };
}

export interface BrokerRoutesOptions {
  /** Where the routes answer (default `["/broker/"]`; the sidecar adds v5 `micro api`'s `/micro/broker/`). */
  prefixes?: string[];
  /** Bytes a subscriber may leave unsent before it is dropped (default 4 MiB). */
  maxSubscriberBuffer?: number;
  /** ms between comment lines on an idle event stream (default 15 s). */
  eventsHeartbeat?: number;
}

/**
 * The sidecar's publish and subscribe routes, to mount on any gateway (`routes: brokerRoutes()`).
 * They share one set of subscribers, ended when the gateway closes.
 */
export function brokerRoutes(options: BrokerRoutesOptions = {}): GatewayRoute[] {
  const { prefixes = ["/broker/"], ...limits } = options;
  for (const p of prefixes) {
    if (!p.startsWith("/") || !p.endsWith("/")) throw new Error(`brokerRoutes: prefix "${p}" must be /.../`);
  }
  const deps: BrokerRouteDeps = {
    settings: resolveSidecar(limits),
    subscribers: new Subscribers(),
    sockets: new SubscriberSockets(),
  };
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    deps.subscribers.closeAll();
    deps.sockets.close();
  };
  return prefixes.map((p) => ({ ...brokerRoute(p, deps), close }));
}
