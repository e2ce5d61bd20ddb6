// The strategic-merge patches go-micro sends. Keys are written in Go's order (encoding/json sorts map
// keys), so the body is byte-for-byte what a Go service would send for the same record.
import type { Service } from "@micro/core";
import { encodeService } from "@micro/core/plugin-kit";
import { annotationKey, LABEL_TYPE, LABEL_TYPE_SERVICE, selectorLabel } from "./names.js";

export interface PodMetadataPatch {
  metadata: {
    labels: Record<string, string | null>;
    annotations: Record<string, string | null>;
  };
}

function sorted<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function registerPatch(service: Service): PodMetadataPatch {
  return {
    metadata: {
      labels: sorted({ [LABEL_TYPE]: LABEL_TYPE_SERVICE, [selectorLabel(service.name)]: LABEL_TYPE_SERVICE }),
      annotations: { [annotationKey(service.name)]: encodeService(service) },
    },
  };
}

/** Removes this service's selector label and record; `micro.mu/type` stays, as in Go. */
export function deregisterPatch(service: Service): PodMetadataPatch {
  return {
    metadata: {
      labels: { [selectorLabel(service.name)]: null },
      annotations: { [annotationKey(service.name)]: null },
    },
  };
}
