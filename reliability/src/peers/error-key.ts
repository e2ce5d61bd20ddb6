// Failed calls grouped by cause: the error's id, code and detail with what differs between two
// calls of the same cause (addresses, ids, numbers) blanked.
export function errorKey(err: unknown): string {
  const e = err as { id?: string; code?: number; detail?: string; message?: string };
  const text = String(e?.detail ?? e?.message ?? err)
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?/g, "ADDR")
    .replace(/\b[0-9a-f]{8}-[0-9a-f-]{27,}\b/gi, "ID")
    .replace(/\b\d{3,}\b/g, "N")
    .slice(0, 160);
  const head = [e?.id, e?.code].filter((x) => x !== undefined && x !== "").join(" ");
  return head ? `${head}: ${text}` : text;
}
