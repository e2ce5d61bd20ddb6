import { registerPlugin } from "@micro/core";
import { KubernetesRegistry } from "./k8s-registry.js";

export { KubernetesRegistry } from "./k8s-registry.js";
export { annotationKey, labelSelector, sanitize, selectorLabel } from "./names.js";
export type { KubernetesRegistryOptions } from "./options.js";
export { deregisterPatch, type PodMetadataPatch, registerPatch } from "./patch.js";

registerPlugin({
  kind: "registry",
  name: "kubernetes",
  aliases: ["k8s"],
  from: import.meta.url,
  description: "Kubernetes pod labels and annotations (go-micro's kubernetes registry plugin format)",
  flags: [
    {
      name: "kubernetes_namespace",
      env: "KUBERNETES_NAMESPACE",
      description: "Namespace of the pods (default: the service account's)",
    },
    // KUBECONFIG itself is read by the client (it may list several files)
    {
      name: "kubeconfig",
      description: "kubeconfig file (default: KUBECONFIG, ~/.kube/config or the in-cluster account)",
    },
  ],
  create: (ctx) => {
    const namespace = ctx.flags.kubernetes_namespace as string | undefined;
    const kubeconfigPath = ctx.flags.kubeconfig as string | undefined;
    return new KubernetesRegistry({
      ...(ctx.addresses.length ? { addresses: ctx.addresses } : {}),
      ...(namespace ? { namespace } : {}),
      ...(kubeconfigPath ? { kubeconfigPath } : {}),
      logger: ctx.logger,
    });
  },
});
