// Reading go-micro records out of pods: only Running pods that are not being deleted count, and a
// record that does not parse is skipped rather than failing the whole lookup.
import type { Service } from "@micro/core";
import { parseService } from "@micro/core/plugin-kit";
import { ANNOTATION_PREFIX, annotationKey } from "./names.js";

/** The fields of a pod we read (what both the list and the watch stream carry). */
export interface PodLike {
  metadata?: {
    name?: string;
    annotations?: Record<string, string> | null;
    deletionTimestamp?: unknown;
    resourceVersion?: string;
  };
  status?: { phase?: string };
}

export function isLive(pod: PodLike): boolean {
  return pod.status?.phase === "Running" && !pod.metadata?.deletionTimestamp;
}

/** Every go-micro record on a live pod, by annotation key; `service` narrows to one service. */
export function podServices(pod: PodLike, service?: string): Map<string, Service> {
  const out = new Map<string, Service>();
  if (!isLive(pod)) return out;
  const only = service ? annotationKey(service) : undefined;
  for (const [key, value] of Object.entries(pod.metadata?.annotations ?? {})) {
    if (!key.startsWith(ANNOTATION_PREFIX) || (only && key !== only)) continue;
    try {
      const s = parseService(value);
      // sanitized names can collide (`a/b` and `a_b`): the record's own name decides
      if (!service || s.name === service) out.set(key, s);
    } catch {
      // a damaged or foreign annotation
    }
  }
  return out;
}
