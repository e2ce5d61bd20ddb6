// The classic `api` handler (go-micro's api/handler/api, api.go + util.go): the whole HTTP request
// goes to the endpoint as an `api.Request` (go-micro's api/proto/api.proto) and the service answers
// with an `api.Response` that becomes the HTTP answer — status, headers and body as the service
// chose them. Messages travel as JSON with proto3's field names:
//   Request  {method, path, header, get, post, body, url}    header/get/post: {name: {key, values}}
//   Response {statusCode, header, body}                       statusCode 0 means 200
// As in Go, a form body (application/x-www-form-urlencoded) arrives parsed in `post` and `body` is
// empty; any other body arrives as text in `body`.
import {
  type IncomingMessage,
  type ServerResponse,
  validateHeaderName,
  validateHeaderValue,
} from "node:http";
import { Frame, MicroError } from "@micro/core";
import { readBody } from "../http/body.js";
import { GATEWAY_ID } from "../http/errors.js";
import type { RequestInfo } from "../options.js";
import { mediaType } from "../rpc/content-type.js";
import { canonicalHeader, metadataOf } from "../rpc/metadata.js";
import type { ClassicHandler, ClassicTarget } from "./handler.js";

/** go-micro's api.Pair: one name and all its values. */
export interface Pair {
  key: string;
  values: string[];
}

export interface ApiRequest {
  method: string;
  path: string;
  header: Record<string, Pair>;
  get: Record<string, Pair>;
  post: Record<string, Pair>;
  body: string;
  url: string;
}

interface ApiResponse {
  statusCode?: number | string;
  // protojson writes lowerCamel names, but a Go JSON codec given orig names may not
  status_code?: number | string;
  header?: Record<string, Partial<Pair> | undefined>;
  body?: unknown;
}

/** Adds one value under `key`, as Go's Header.Add / url.Values.Add keep repeats. */
export function addPair(map: Record<string, Pair>, key: string, value: string): void {
  const pair = map[key];
  if (pair) pair.values.push(value);
  else map[key] = { key, values: [value] };
}

/** The request's headers as Go's http.Header: canonical names, every value of repeats. */
export function headerPairs(req: IncomingMessage): Record<string, Pair> {
  const header: Record<string, Pair> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    // only the gateway says who the caller is (the call's metadata carries the account)
    if (name === "micro-account") continue;
    addPair(header, canonicalHeader(name), raw[i + 1]!);
  }
  return header;
}

function paramPairs(params: URLSearchParams): Record<string, Pair> {
  const out: Record<string, Pair> = {};
  for (const [k, v] of params) addPair(out, k, v);
  return out;
}

const FORM = "application/x-www-form-urlencoded";
// Go's Request.ParseForm reads a form body only for these
const FORM_METHODS = new Set(["POST", "PUT", "PATCH"]);

async function toApiRequest(req: IncomingMessage, info: RequestInfo): Promise<ApiRequest> {
  const method = req.method ?? "GET";
  const header = headerPairs(req);
  // go-micro adds the caller to X-Forwarded-For, after any proxies before it
  const ip = req.socket.remoteAddress;
  if (ip) {
    const prior = header["X-Forwarded-For"]?.values.join(", ");
    header["X-Forwarded-For"] = { key: "X-Forwarded-For", values: [prior ? `${prior}, ${ip}` : ip] };
  }
  const raw = await readBody(req, info.gateway.options.maxBodyBytes);
  const text = raw.toString("utf8");
  const isForm = mediaType(req.headers["content-type"]) === FORM;
  return {
    method,
    path: info.path,
    header,
    get: paramPairs(info.query),
    post: isForm && FORM_METHODS.has(method) ? paramPairs(new URLSearchParams(text)) : {},
    body: isForm ? "" : text,
    url: req.url ?? info.path,
  };
}

// The gateway frames the answer itself; a service cannot set these for the client's connection.
const FRAMING = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "trailer",
]);

function badResponse(detail: string): MicroError {
  return new MicroError(GATEWAY_ID, `bad api.Response from service: ${detail}`, 502);
}

function writeApiResponse(res: ServerResponse, data: Uint8Array): void {
  let rsp: ApiResponse;
  try {
    rsp = data.byteLength === 0 ? {} : JSON.parse(Buffer.from(data).toString("utf8"));
  } catch (err) {
    throw badResponse((err as Error).message);
  }
  if (typeof rsp !== "object" || rsp === null || Array.isArray(rsp)) throw badResponse("not an object");
  const code = Number(rsp.statusCode ?? rsp.status_code ?? 0);
  const status = code === 0 ? 200 : code;
  if (!Number.isInteger(status) || status < 100 || status > 999) throw badResponse(`status ${status}`);
  const headers: Record<string, string[]> = {};
  for (const [name, pair] of Object.entries(rsp.header ?? {})) {
    const key = canonicalHeader((pair?.key || name).toLowerCase());
    if (FRAMING.has(key.toLowerCase())) continue;
    const values = (pair?.values ?? []).filter((v) => typeof v === "string");
    if (values.length > 0) headers[key] = [...(headers[key] ?? []), ...values];
  }
  const body = Buffer.from(
    typeof rsp.body === "string" ? rsp.body : rsp.body === undefined ? "" : JSON.stringify(rsp.body),
  );
  // checked before any is set, so a refused answer leaves nothing of the service's behind
  try {
    for (const [k, vs] of Object.entries(headers)) {
      validateHeaderName(k);
      for (const v of vs) validateHeaderValue(k, v);
    }
  } catch (err) {
    throw badResponse((err as Error).message);
  }
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (!res.hasHeader("Content-Type")) res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", body.byteLength);
  res.statusCode = status;
  res.end(body);
}

async function serve(req: IncomingMessage, res: ServerResponse, info: RequestInfo, target: ClassicTarget) {
  const request = await toApiRequest(req, info);
  const ctx = info.gateway;
  const abort = new AbortController();
  // a client that hangs up stops the call instead of leaving it to run out its time
  const onClose = () => {
    if (!res.writableFinished) abort.abort();
  };
  res.once("close", onClose);
  try {
    const reply = await ctx.client.call<Frame>(
      target.service,
      target.endpoint,
      new Frame(Buffer.from(JSON.stringify(request))),
      {
        contentType: "application/json",
        metadata: metadataOf(req, info.account),
        timeout: ctx.options.timeout,
        responseType: Frame,
        signal: abort.signal,
      },
    );
    writeApiResponse(res, reply.data);
  } finally {
    res.off("close", onClose);
  }
}

export const apiHandler: ClassicHandler = {
  handle: serve,
};
