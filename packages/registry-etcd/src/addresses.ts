// Endpoint normalization with go-micro's rules: default 127.0.0.1:2379, a host without a port gets
// :2379. The etcd3 client wants a scheme, which Go's clientv3 infers from its TLS config; we do the
// same: https when TLS is configured, http otherwise, unless the address names one itself.

export const DEFAULT_ADDRESS = "127.0.0.1:2379";
const DEFAULT_PORT = "2379";

function withPort(hostport: string): string {
  if (hostport.startsWith("[")) return hostport.includes("]:") ? hostport : `${hostport}:${DEFAULT_PORT}`;
  const colons = hostport.split(":").length - 1;
  if (colons === 0) return `${hostport}:${DEFAULT_PORT}`;
  // a bare IPv6 address: bracket it like net.JoinHostPort does
  if (colons > 1) return `[${hostport}]:${DEFAULT_PORT}`;
  return hostport;
}

export function normalizeAddresses(addresses: readonly string[] | undefined, secure: boolean): string[] {
  const list = (addresses ?? []).map((a) => a.trim()).filter(Boolean);
  const out = (list.length ? list : [DEFAULT_ADDRESS]).map((a) => {
    const m = /^(https?):\/\/(.*)$/i.exec(a);
    const scheme = m ? m[1]!.toLowerCase() : secure ? "https" : "http";
    const rest = (m ? m[2]! : a).replace(/\/+$/, "");
    return `${scheme}://${withPort(rest)}`;
  });
  return [...new Set(out)];
}
