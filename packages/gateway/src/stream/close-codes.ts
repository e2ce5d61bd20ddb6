// A micro error as a WebSocket close frame: code 4000 + its HTTP status (4404, 4500...), the reason
// go-micro's error JSON. A close reason holds at most 123 bytes, so a long detail is cut to fit.
import type { MicroError } from "@micro/core";
import { httpStatus } from "../http/errors.js";

const MAX_REASON = 123;

export function closeCode(err: MicroError): number {
  return 4000 + httpStatus(err);
}

export function closeReason(err: MicroError): string {
  const full = err.toString();
  if (Buffer.byteLength(full) <= MAX_REASON) return full;
  let detail = err.detail;
  const json = (d: string) =>
    JSON.stringify({ id: err.id || undefined, code: err.code || undefined, detail: d });
  // shorten the detail until the whole JSON fits (by bytes: the detail may hold multi-byte text)
  while (detail.length > 0 && Buffer.byteLength(json(`${detail}…`)) > MAX_REASON) {
    detail = detail.slice(
      0,
      Math.max(0, detail.length - Math.max(1, Buffer.byteLength(json(detail)) - MAX_REASON)),
    );
  }
  return json(`${detail}…`);
}

/** Why a WebSocket closed, parsed back (for clients written in TypeScript and the tests). */
export function parseCloseReason(
  reason: string,
): { id?: string; code?: number; detail?: string } | undefined {
  try {
    return JSON.parse(reason) as { id?: string; code?: number; detail?: string };
  } catch {
    return undefined;
  }
}
