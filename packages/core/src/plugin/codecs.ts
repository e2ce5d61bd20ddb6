// Content-Type -> codec, through the codec registrations, as go-micro picks codecs (exact match,
// no parameters). Codec instances are made once per registration and cached.
import type { Codec } from "../codec.js";
import { MicroError } from "../errors.js";
import { getLogger } from "../logger.js";
import {
  DEFAULTS_PACKAGE,
  findWithDefaults,
  importPackage,
  packageForContentType,
  pluginIndex,
} from "./loader.js";
import { listPlugins, type RegisteredPlugin } from "./table.js";

const KEY = Symbol.for("micro.codecs.v2");

interface Cache {
  byType: Map<string, Codec>;
  instances: WeakMap<RegisteredPlugin, Codec>;
}

function cache(): Cache {
  const g = globalThis as unknown as Record<symbol, Cache | undefined>;
  g[KEY] ??= { byType: new Map(), instances: new WeakMap() };
  return g[KEY];
}

function instance(def: RegisteredPlugin<"codec">): Codec {
  const c = cache();
  let codec = c.instances.get(def);
  if (!codec) {
    codec = def.create({ addresses: [], flags: {} as never, logger: getLogger() });
    c.instances.set(def, codec);
  }
  return codec;
}

function definitionFor(contentType: string): RegisteredPlugin<"codec"> | undefined {
  return listPlugins("codec").find((d) => d.contentTypes?.includes(contentType));
}

/** The codec registered for `contentType`, or undefined (no import attempted). */
export function findCodec(contentType: string): Codec | undefined {
  const c = cache();
  const hit = c.byType.get(contentType);
  if (hit) return hit;
  const def = definitionFor(contentType);
  if (!def) return undefined;
  const codec = instance(def);
  c.byType.set(contentType, codec);
  return codec;
}

/**
 * The codec for `contentType`; if none is registered, the package that serves it is imported.
 * Rejects with a 400 MicroError naming the package to install.
 */
export async function resolveCodec(contentType: string, id = "go.micro.client.codec"): Promise<Codec> {
  const found = await findWithDefaults(
    () => findCodec(contentType),
    undefined,
    (e) => e.kind === "codec" && e.contentTypes?.includes(contentType) === true,
  );
  if (found) return found;
  const pkg = packageForContentType(contentType);
  if (pkg && (await importPackage(pkg))) {
    const loaded = findCodec(contentType);
    if (loaded) return loaded;
  }
  throw new MicroError(
    id,
    `unsupported Content-Type: ${contentType}${pkg ? ` (install and import ${pkg})` : ""}`,
    400,
  );
}

/** The Content-Type of the codec registered as the default. */
export async function defaultContentType(): Promise<string> {
  const ct = await findWithDefaults(
    () => listPlugins("codec").find((d) => d.default)?.contentTypes?.[0],
    undefined,
    (e) => e.kind === "codec" && e.default === true,
  );
  if (!ct) {
    throw new MicroError(
      "go.micro.client.codec",
      `no codec registered as the default: set --client_content_type or install ${DEFAULTS_PACKAGE}`,
      500,
    );
  }
  return ct;
}

/** The Content-Type assumed for a request that carries none (the codec registered as `fallback`). */
export function fallbackContentType(): Promise<string | undefined> {
  return findWithDefaults(
    () => listPlugins("codec").find((d) => d.fallback)?.contentTypes?.[0],
    undefined,
    (e) => e.kind === "codec" && e.fallback === true,
  );
}

/**
 * The Content-Type of a received request or event that names none: go-micro's server default (the
 * `fallback` codec), or a 400 saying what came without one when no codec is the fallback. Callers
 * read the header first, so a call that has one takes no extra turn here.
 */
export async function missingContentType(what: string): Promise<string> {
  const ct = await fallbackContentType();
  if (!ct) throw MicroError.badRequest("go.micro.server", `${what} without Content-Type`);
  return ct;
}

/**
 * go-micro's legacy switch: a node without `protocol` metadata speaks an envelope codec instead of
 * `contentType`; the codec says so in its registration or the package index.
 */
export function legacyContentType(contentType: string): string {
  const def = listPlugins("codec").find((d) => d.legacyFor?.includes(contentType));
  if (def?.contentTypes?.[0]) return def.contentTypes[0];
  const entry = pluginIndex().find((e) => e.kind === "codec" && e.legacyFor?.includes(contentType));
  return entry?.contentTypes?.[0] ?? contentType;
}

/** Only for tests: forget cached codec instances. */
export function resetCodecCache(): void {
  const g = globalThis as unknown as Record<symbol, Cache | undefined>;
  g[KEY] = undefined;
}
