// A Registry watcher over an etcd watch with previous values: etcd tells us whether a PUT created
// the key (create_revision == mod_revision) and hands back the old value on DELETE, which is the
// only place the deleted node's record still exists.
import type { Logger, RegistryEvent, Service, Watcher } from "@micro/core";
import { AsyncQueue, queueWatcher } from "@micro/core/plugin-kit";
import type { Etcd3, Watcher as EtcdWatch, IKeyValue } from "etcd3";
import { decodeRecord } from "./decode.js";
import { PREFIX, servicePrefix, splitKey } from "./keys.js";

import { unavailable } from "./unavailable.js";

export interface EtcdWatchContext {
  client: Etcd3;
  hosts: readonly string[];
  logger: Logger;
  service?: string;
  /** Called once when the watcher is stopped. */
  onStop?: () => void;
}

// When etcd has no previous value (compacted history), the key still names the service and node.
function fromKey(key: string): Service | undefined {
  const parts = splitKey(key);
  if (!parts) return undefined;
  return {
    name: parts.service,
    version: "",
    endpoints: [],
    nodes: [{ id: parts.node, address: "", metadata: {} }],
  };
}

export function watchEtcd(ctx: EtcdWatchContext): Watcher {
  const queue = new AsyncQueue<RegistryEvent>();
  const wanted = (s: Service | undefined): s is Service => !!s && (!ctx.service || s.name === ctx.service);
  const emit = (action: RegistryEvent["action"], service: Service | undefined) => {
    if (wanted(service)) queue.push({ action, service });
  };
  // watcher() rather than create(): it attaches at once, so stop() can cancel it even while etcd
  // is unreachable (create() would only hand it over once connected, leaving its retries running).
  const watch: EtcdWatch = ctx.client
    .watch()
    .prefix(ctx.service ? servicePrefix(ctx.service) : PREFIX)
    .withPreviousKV()
    .watcher();
  watch.on("put", (kv: IKeyValue) => {
    const key = kv.key.toString();
    const created = kv.create_revision === kv.mod_revision;
    emit(created ? "create" : "update", decodeRecord(key, kv.value, ctx.logger));
  });
  watch.on("delete", (kv: IKeyValue, prev?: IKeyValue) => {
    const key = kv.key.toString();
    emit("delete", prev?.value?.length ? decodeRecord(key, prev.value, ctx.logger) : fromKey(key));
  });
  // etcd3 reconnects and resumes from the last revision by itself, with backoff
  watch.on("disconnected", (err) =>
    ctx.logger.debug(`etcd registry: watch disconnected (${err.message}); reconnecting`),
  );
  watch.on("error", (err) => queue.fail(unavailable("watch", ctx.hosts, err)));
  return queueWatcher(queue, () => {
    void watch.cancel().catch(() => {});
    ctx.onStop?.();
  });
}
