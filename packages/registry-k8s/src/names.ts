// The label and annotation names go-micro's kubernetes plugin puts on pods. Label values and name
// parts allow only [-A-Za-z0-9_.], so service names are sanitized the same way Go does it.

export const LABEL_TYPE = "micro.mu/type";
export const LABEL_TYPE_SERVICE = "service";
export const SELECTOR_PREFIX = "micro.mu/selector-";
export const ANNOTATION_PREFIX = "micro.mu/service-";

/** Go's serviceName(): every byte outside [-A-Za-z0-9_.] becomes `_` (bytes, so `é` gives `__`). */
export function sanitize(name: string): string {
  let out = "";
  for (const b of Buffer.from(name, "utf8")) {
    const c = String.fromCharCode(b);
    out += /[-A-Za-z0-9_.]/.test(c) ? c : "_";
  }
  return out;
}

export const selectorLabel = (service: string) => `${SELECTOR_PREFIX}${sanitize(service)}`;
export const annotationKey = (service: string) => `${ANNOTATION_PREFIX}${sanitize(service)}`;

/** The labelSelector of the pods that carry `service` (or every micro service when absent). */
export function labelSelector(service?: string): string {
  return service ? `${selectorLabel(service)}=${LABEL_TYPE_SERVICE}` : `${LABEL_TYPE}=${LABEL_TYPE_SERVICE}`;
}
