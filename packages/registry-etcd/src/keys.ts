// go-micro's etcd key layout: one key per node under a fixed prefix. Go builds the key with
// path.Join after replacing "/" by "-" in the service name and the node id, so a name with a
// slash can never produce extra path segments; we must write byte-identical keys.

export const PREFIX = "/micro/registry/";

const flatten = (s: string) => s.replaceAll("/", "-");

/** `/micro/registry/<service>/` — the range that holds every node of one service. */
export function servicePrefix(service: string): string {
  return `${PREFIX}${flatten(service)}/`;
}

export function nodeKey(service: string, nodeId: string): string {
  return `${servicePrefix(service)}${flatten(nodeId)}`;
}

/** The service and node segments of a key under PREFIX (best effort: "/" was already flattened). */
export function splitKey(key: string): { service: string; node: string } | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const rest = key.slice(PREFIX.length);
  const i = rest.indexOf("/");
  if (i <= 0) return undefined;
  return { service: rest.slice(0, i), node: rest.slice(i + 1) };
}

/** etcd's range end for "every key with this prefix": the prefix with its last byte + 1. */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  end[end.length - 1]! += 1;
  return end;
}
