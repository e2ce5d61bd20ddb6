// Lease traffic as etcd counts it (its /metrics page): keep-alive messages received on the
// LeaseKeepAlive streams, keep-alive streams opened, leases granted and renewed.

export interface LeaseCounters {
  keepAliveMsgs: number;
  keepAliveStreams: number;
  granted: number;
  renewed: number;
}

function sum(text: string, metric: string, filter = ""): number {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(metric) || line.startsWith(`${metric}_`)) continue;
    if (filter && !line.includes(filter)) continue;
    total += Number(line.slice(line.lastIndexOf(" ") + 1)) || 0;
  }
  return total;
}

export async function leaseCounters(metricsUrl: string): Promise<LeaseCounters> {
  const text = await (await fetch(metricsUrl)).text();
  const ka = 'grpc_method="LeaseKeepAlive"';
  return {
    keepAliveMsgs: sum(text, "grpc_server_msg_received_total", ka),
    keepAliveStreams: sum(text, "grpc_server_started_total", ka),
    granted: sum(text, "etcd_debugging_lease_granted_total"),
    renewed: sum(text, "etcd_debugging_lease_renewed_total"),
  };
}

export function diff(a: LeaseCounters, b: LeaseCounters): LeaseCounters {
  return {
    keepAliveMsgs: b.keepAliveMsgs - a.keepAliveMsgs,
    keepAliveStreams: b.keepAliveStreams - a.keepAliveStreams,
    granted: b.granted - a.granted,
    renewed: b.renewed - a.renewed,
  };
}
