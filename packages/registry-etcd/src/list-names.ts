// listServices reads keys only, in pages: a key is /micro/registry/<service>/<node>, so the names
// come without downloading every node's record (endpoint schemas make those ~1–3 KB each, 12.8 MB
// at 5,000 services, over the client's 4 MiB limit). Callers describe a service with getService.
import type { Etcd3 } from "etcd3";
import { PREFIX, prefixEnd, splitKey } from "./keys.js";

/** Keys per page: ~60 bytes each, so a page stays far below the 4 MiB message limit. */
export const PAGE = 10_000;

/** The service names under PREFIX, sorted and unique (serializable reads, like getService). */
export async function listNames(client: Etcd3, page = PAGE): Promise<string[]> {
  const names = new Set<string>();
  const end = prefixEnd(Buffer.from(PREFIX));
  let from = Buffer.from(PREFIX);
  for (;;) {
    const res = await client.kv.range({
      key: from,
      range_end: end,
      keys_only: true,
      serializable: true,
      limit: page,
    });
    for (const kv of res.kvs) {
      const parts = splitKey(kv.key.toString());
      if (parts) names.add(parts.service);
    }
    if (!res.more || res.kvs.length === 0) break;
    // the next page starts right after the last key read
    from = Buffer.concat([res.kvs[res.kvs.length - 1]!.key, Buffer.from([0])]);
  }
  return [...names].sort();
}
