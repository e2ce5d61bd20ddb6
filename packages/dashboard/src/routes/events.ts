// `/dashboard/events`: the registry, live, as Server-Sent Events for the home page. Each stream
// holds one registry watch (started before the first snapshot, so no change falls between them):
//   event: snapshot   data: {"services":[summary...]}            at the start (and on every reconnect)
//   event: service    data: {summary} | {"name","removed":true}  after each change to that service
// Events are gathered for a moment and each service named is looked up again, so a burst of
// heartbeats costs one lookup per service. The streams are bounded (a 503 past the cap), end when
// the page goes, and are ended when the gateway closes.
import type { Watcher } from "@micro/core";
import { MicroError } from "@micro/core";
import type { GatewayContext, GatewayRoute } from "@micro/gateway";
import { securityHeaders } from "../headers.js";
import type { ResolvedDashboardOptions } from "../options.js";
import { PATHS } from "../paths.js";
import { summaries, summaryOf } from "../summary.js";

const ID = "go.micro.dashboard";
// a page that stops reading is dropped past this many unsent bytes
const MAX_UNSENT = 1 << 20;
// what EventSource waits before reconnecting, in ms
const RETRY_MS = 3000;

export function eventsRoute(options: ResolvedDashboardOptions): GatewayRoute {
  const open = new Set<() => void>();
  return {
    path: PATHS.events,
    async handle(req, res, info) {
      if (req.method !== "GET") throw new MicroError(ID, `${req.method} ${info.path}: use GET`, 405);
      if (open.size >= options.maxEventStreams) {
        throw new MicroError(ID, "too many live dashboard pages open", 503);
      }
      const ctx = info.gateway;
      let watcher: Watcher;
      try {
        watcher = ctx.registry.watch();
      } catch (err) {
        throw new MicroError(ID, `registry watch: ${err instanceof Error ? err.message : err}`, 503);
      }
      let ended = false;
      let heartbeat: NodeJS.Timeout | undefined;
      const pending = new Set<string>();
      let flushTimer: NodeJS.Timeout | undefined;
      // writes run one after another, in the order their lookups were started
      let chain: Promise<void> = Promise.resolve();
      const send = (event: string, data: unknown) => {
        if (ended) return;
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        if (res.writableLength > MAX_UNSENT) end();
      };
      const end = () => {
        if (ended) return;
        ended = true;
        open.delete(end);
        clearTimeout(flushTimer);
        clearInterval(heartbeat);
        watcher.stop();
        if (!res.writableEnded) res.end();
      };
      const flush = () => {
        flushTimer = undefined;
        const names = [...pending];
        pending.clear();
        chain = chain
          .then(async () => {
            for (const name of names) {
              if (ended) return;
              const summary = await summaryOf(ctx, name).catch(() => undefined);
              send("service", summary ?? { name, removed: true });
            }
          })
          .catch(end);
      };
      open.add(end);
      res.once("close", end);
      req.socket.setTimeout(0); // lives as long as the page
      res.writeHead(200, {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-store",
        Connection: "keep-alive",
        "X-Accel-Buffering": "no",
        ...securityHeaders(req),
      });
      res.write(`retry: ${RETRY_MS}\n: watching the registry\n\n`);
      heartbeat = setInterval(() => !ended && res.write(": ping\n\n"), options.eventsHeartbeat);
      heartbeat.unref();
      chain = chain
        .then(async () => {
          const services = await summaries(ctx).catch(() => undefined);
          if (services) send("snapshot", { services });
        })
        .catch(end);
      void watchLoop(ctx, watcher, (name) => {
        pending.add(name);
        flushTimer ??= setTimeout(flush, options.eventsDebounce);
      }).finally(end);
    },
    close() {
      for (const end of [...open]) end();
    },
  };
}

/** Calls `changed` with each event's service name until the watch stops or fails. */
async function watchLoop(ctx: GatewayContext, watcher: Watcher, changed: (name: string) => void) {
  try {
    for (;;) {
      const event = await watcher.next();
      if (event.service?.name) changed(event.service.name);
    }
  } catch (err) {
    ctx.logger.debug(`dashboard: registry watch ended: ${err instanceof Error ? err.message : err}`);
  }
}
