// Content-Type -> codec, through the plugin table, as go-micro picks codecs (exact match, no params).
import type { Codec } from "./codec.js";
import { MicroError } from "./errors.js";
import { getLogger } from "./logger.js";
import { DEFAULTS_PACKAGE, importPackage, listPlugins } from "./plugins.js";

const KEY = Symbol.for("micro.codecs.v1");

function cache(): Map<string, Codec> {
  const g = globalThis as unknown as Record<symbol, Map<string, Codec> | undefined>;
  g[KEY] ??= new Map();
  return g[KEY];
}

/** The codec registered for `contentType`, or undefined (no import attempted). */
export function findCodec(contentType: string): Codec | undefined {
  const c = cache();
  const hit = c.get(contentType);
  if (hit) return hit;
  for (const def of listPlugins("codec")) {
    const codec = def.create({ addresses: [], flags: {}, logger: getLogger() }) as Codec;
    for (const ct of codec.contentTypes) if (!c.has(ct)) c.set(ct, codec);
  }
  return c.get(contentType);
}

/**
 * The codec for `contentType`; if none is registered, its conventional package is imported
 * (application/json -> @micro/codec-json). Rejects with a 400 MicroError naming the package.
 */
export async function resolveCodec(contentType: string, id = "go.micro.client.codec"): Promise<Codec> {
  const found = findCodec(contentType);
  if (found) return found;
  const pkg = KNOWN[contentType];
  if (pkg && ((await importPackage(pkg)) || (await importPackage(DEFAULTS_PACKAGE)))) {
    const loaded = findCodec(contentType);
    if (loaded) return loaded;
  }
  throw new MicroError(
    id,
    `unsupported Content-Type: ${contentType}` +
      (KNOWN[contentType] ? ` (install and import ${KNOWN[contentType]})` : ""),
    400,
  );
}

const KNOWN: Record<string, string> = {
  "application/json": "@micro/codec-json",
  "application/protobuf": "@micro/codec-proto",
  "application/octet-stream": "@micro/codec-bytes",
  "application/json-rpc": "@micro/codec-jsonrpc",
  "application/proto-rpc": "@micro/codec-protorpc",
  "application/grpc": "@micro/codec-grpc",
  "application/grpc+proto": "@micro/codec-grpc",
  "application/grpc+json": "@micro/codec-grpc",
  "application/msgpack": "@micro/codec-msgpack",
  "application/x-msgpack": "@micro/codec-msgpack",
  "application/bson": "@micro/codec-bson",
};

/** Only for tests: forget cached codec instances. */
export function resetCodecCache(): void {
  cache().clear();
}
