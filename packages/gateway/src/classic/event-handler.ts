// The classic `event` handler (go-micro's api/handler/event/event.go): the request becomes an
// `api.Event` published to the broker, and the caller gets an empty 200 once it is published.
//   /user/login    → topic go.micro.api.user     name "login"
//   /user          → topic go.micro.api.user     name ""
//   /v1/user/login → topic go.micro.api.v1.user  name "user.login"
// The event: {name, id: "<topic>-<name>-<uuid>", timestamp (unix seconds), header (the request's
// headers as {key, values} pairs), data (a GET's query as JSON, else the body as text)}, published
// as JSON with the headers go-micro's client.Publish sets.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { posix } from "node:path";
import { type Broker, isMicroError, MicroError } from "@micro/core";
import { readBody } from "../http/body.js";
import { GATEWAY_ID } from "../http/errors.js";
import type { RequestInfo } from "../options.js";
import { metadataOf } from "../rpc/metadata.js";
import { headerPairs, type Pair } from "./api-handler.js";
import type { ClassicHandler } from "./handler.js";

const VERSION = /^v[0-9]+$/;

export interface ApiEvent {
  name: string;
  id: string;
  timestamp: number;
  header: Record<string, Pair>;
  data: string;
}

function join(...parts: string[]): string {
  return parts.filter(Boolean).join(".");
}

/** go-micro's evRoute: the topic and the event name a path names. */
export function eventRoute(namespace: string, path: string): { topic: string; name: string } {
  const parts = posix.normalize(path).split("/").filter(Boolean);
  if (parts.length === 0) return { topic: namespace, name: "event" };
  if (parts.length >= 2 && VERSION.test(parts[0]!)) {
    return { topic: join(namespace, parts[0]!, parts[1]!), name: parts.slice(1).join(".") };
  }
  return { topic: join(namespace, parts[0]!), name: parts.slice(1).join(".") };
}

/** Go's json.Marshal of url.Values: every name with all its values, names sorted. */
function queryJson(query: URLSearchParams): string {
  const sorted: Record<string, string[]> = {};
  for (const k of [...new Set(query.keys())].sort()) sorted[k] = query.getAll(k);
  return JSON.stringify(sorted);
}

// A broker is connected once per process, as the client connects it on its first publish.
const connected = new WeakMap<Broker, Promise<void>>();

async function connect(broker: Broker): Promise<void> {
  let p = connected.get(broker);
  if (!p) {
    p = broker.connect();
    connected.set(broker, p);
  }
  try {
    await p;
  } catch (err) {
    // the next request tries again
    connected.delete(broker);
    throw new MicroError(GATEWAY_ID, `broker: ${(err as Error).message}`, 503);
  }
}

async function eventOf(
  req: IncomingMessage,
  info: RequestInfo,
  topic: string,
  name: string,
): Promise<ApiEvent> {
  const data =
    req.method === "GET"
      ? queryJson(info.query)
      : (await readBody(req, info.gateway.options.maxBodyBytes)).toString("utf8");
  return {
    name,
    id: `${topic}-${name}-${randomUUID()}`,
    timestamp: Math.floor(Date.now() / 1000),
    header: headerPairs(req),
    data,
  };
}

export const eventHandler: ClassicHandler = {
  async handle(req, res, info) {
    const { broker, options } = info.gateway;
    if (!broker) throw new MicroError(GATEWAY_ID, "no broker: events cannot be published", 503);
    const { topic, name } = eventRoute(options.namespace, info.path);
    const event = await eventOf(req, info, topic, name);
    await connect(broker);
    // the request's headers as call metadata, then what go-micro's client.Publish adds
    const header = metadataOf(req, info.account);
    header["Content-Type"] = "application/json";
    header["Micro-Topic"] = topic;
    header["Micro-ID"] = randomUUID();
    const signal = AbortSignal.timeout(options.timeout);
    try {
      await broker.publish(topic, { header, body: Buffer.from(JSON.stringify(event)) }, { signal });
    } catch (err) {
      if (signal.aborted) throw new MicroError(GATEWAY_ID, `publishing to ${topic} timed out`, 504);
      if (isMicroError(err)) throw err;
      throw MicroError.internal(GATEWAY_ID, `publishing to ${topic}: ${(err as Error).message}`);
    }
    res.writeHead(200, { "Content-Length": "0" });
    res.end();
  },
};
