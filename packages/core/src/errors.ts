// go-micro's error model: {id, code, detail, status}. The JSON form must be byte-identical to Go's
// `errors.Error.Error()`: keys in this order, zero values omitted, and Go's HTML escaping of <, >, &.
import { goJSON } from "./wire/go-json.js";

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  499: "Client Closed Request",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Go's `http.StatusText`; empty for codes Go does not name. */
export function statusText(code: number): string {
  return STATUS_TEXT[code] ?? "";
}

export interface MicroErrorJSON {
  id?: string;
  code?: number;
  detail?: string;
  status?: string;
}

export class MicroError extends Error {
  readonly id: string;
  readonly code: number;
  readonly detail: string;
  readonly status: string;

  constructor(
    id: string,
    detail: string,
    code: number,
    status = statusText(code),
    options?: { cause?: unknown },
  ) {
    super(detail, options);
    this.name = "MicroError";
    this.id = id;
    this.code = code;
    this.detail = detail;
    this.status = status;
  }

  /** The exact string go-micro puts in `Micro-Error` and returns from `Error()`. */
  override toString(): string {
    return goJSON(this.toJSON());
  }

  toJSON(): MicroErrorJSON {
    const out: MicroErrorJSON = {};
    if (this.id) out.id = this.id;
    if (this.code) out.code = this.code;
    if (this.detail) out.detail = this.detail;
    if (this.status) out.status = this.status;
    return out;
  }

  static badRequest(id: string, detail: string): MicroError {
    return new MicroError(id, detail, 400);
  }
  static unauthorized(id: string, detail: string): MicroError {
    return new MicroError(id, detail, 401);
  }
  static forbidden(id: string, detail: string): MicroError {
    return new MicroError(id, detail, 403);
  }
  static notFound(id: string, detail: string): MicroError {
    return new MicroError(id, detail, 404);
  }
  static methodNotAllowed(id: string, detail: string): MicroError {
    return new MicroError(id, detail, 405);
  }
  static timeout(id: string, detail: string): MicroError {
    return new MicroError(id, detail, 408);
  }
  static conflict(id: string, detail: string): MicroError {
    return new MicroError(id, detail, 409);
  }
  static tooLarge(id: string, detail: string): MicroError {
    return new MicroError(id, detail, 413);
  }
  static internal(id: string, detail: string): MicroError {
    return new MicroError(id, detail, 500);
  }
  static unavailable(id: string, detail: string): MicroError {
    return new MicroError(id, detail, 503);
  }

  /**
   * go-micro's `errors.Parse`: a JSON error body becomes its fields; anything else (router errors,
   * plain Go errors) becomes the detail with code 0, exactly as a Go client would see it.
   */
  static parse(text: string): MicroError {
    const t = text.trim();
    if (t.startsWith("{")) {
      try {
        const v = JSON.parse(t) as Record<string, unknown>;
        if (v && typeof v === "object" && !Array.isArray(v)) {
          const get = (k: string) => v[k] ?? v[k.charAt(0).toUpperCase() + k.slice(1)];
          const code = Number(get("code") ?? 0);
          return new MicroError(
            String(get("id") ?? ""),
            String(get("detail") ?? ""),
            Number.isFinite(code) ? code : 0,
            String(get("status") ?? ""),
          );
        }
      } catch {
        // not JSON: fall through to the plain-text form
      }
    }
    return new MicroError("", text, 0, "");
  }

  /** Any thrown value as a MicroError; non-micro errors become 500s with the given id. */
  static from(err: unknown, id = "go.micro.server"): MicroError {
    if (err instanceof MicroError) return err;
    if (err instanceof Error) return new MicroError(id, err.message, 500, statusText(500), { cause: err });
    return new MicroError(id, String(err), 500);
  }
}

export function isMicroError(err: unknown): err is MicroError {
  return err instanceof MicroError;
}
