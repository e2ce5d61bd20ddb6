// Reading records written by anyone (Go services, older versions, people with etcdctl): a record
// that does not parse is skipped with a warning rather than failing the whole lookup, like Go's
// decode() which yields nil for bad JSON.
import type { Logger, Service } from "@micro/core";
import { parseService } from "@micro/core/plugin-kit";

export function decodeRecord(key: string, value: Buffer | string, logger: Logger): Service | undefined {
  try {
    return parseService(typeof value === "string" ? value : value.toString("utf8"));
  } catch (err) {
    logger.warn(`etcd registry: skipping malformed record at ${key}: ${(err as Error).message}`);
    return undefined;
  }
}
