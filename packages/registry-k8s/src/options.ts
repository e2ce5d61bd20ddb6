// How the registry finds the API server, its namespace and its own pod: explicit options, then the
// environment (HOSTNAME is the pod name, as in go-micro), then the kubeconfig / in-cluster account.
import { readFileSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";

export interface KubernetesRegistryOptions {
  /** A ready KubeConfig (tests, custom auth). */
  kubeConfig?: KubeConfig;
  /** A kubeconfig file; default: KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  kubeconfigPath?: string;
  /** Force in-cluster config (service account token and CA). */
  inCluster?: boolean;
  /** API server URLs that replace the configured cluster's (go-micro's Addrs). */
  addresses?: string[];
  /** Namespace; default KUBERNETES_NAMESPACE, then the kubeconfig context / service account, then `default`. */
  namespace?: string;
  /** The pod this process runs in; default env HOSTNAME. Needed to register, not to look up. */
  podName?: string;
  /** Per-request timeout in ms (default 10 s; go-micro: 1 s). */
  timeout?: number;
  /** Pods per page when listServices reads every service's pods (default 500, kubectl's). */
  pageSize?: number;
  logger?: { warn(msg: string, ...args: unknown[]): void; debug(msg: string, ...args: unknown[]): void };
}

export interface Resolved {
  kc: KubeConfig;
  namespace: string;
  podName: string | undefined;
  timeout: number;
  pageSize: number;
}

const NAMESPACE_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

export function resolveOptions(o: KubernetesRegistryOptions, env: NodeJS.ProcessEnv = process.env): Resolved {
  let kc = o.kubeConfig;
  if (!kc) {
    kc = new KubeConfig();
    if (o.inCluster) kc.loadFromCluster();
    else if (o.kubeconfigPath) kc.loadFromFile(o.kubeconfigPath);
    else kc.loadFromDefault();
  }
  if (o.addresses?.length) kc = withServer(kc, o.addresses[0]!);
  const context = kc.getContextObject(kc.getCurrentContext());
  return {
    kc,
    namespace:
      o.namespace || env.KUBERNETES_NAMESPACE || context?.namespace || inClusterNamespace() || "default",
    podName: o.podName || env.HOSTNAME || undefined,
    timeout: o.timeout ?? 10_000,
    pageSize: o.pageSize && o.pageSize > 0 ? Math.floor(o.pageSize) : 500,
  };
}

function inClusterNamespace(): string | undefined {
  try {
    return readFileSync(NAMESPACE_FILE, "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The same config pointed at another server (`host:port` gets https://, as go-micro's client does). */
function withServer(kc: KubeConfig, address: string): KubeConfig {
  const server = /^https?:\/\//.test(address) ? address : `https://${address}`;
  const current = kc.getCurrentCluster();
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: kc.clusters.map((c) => (c.name === current?.name ? { ...c, server } : c)),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return out;
}
