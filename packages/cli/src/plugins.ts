// Only the package index is imported up front: it lists every plugin's names and flags, so the
// default stack's flags parse and show in `--help` without loading the stack (issue 19: a command
// loads only what it uses; `micro services` imports the registry and what a client needs, `micro
// --help` no plugin). Plugins load by name when the command line or the environment chooses them
// (`--registry=etcd`, `MICRO_BROKER=nats`, `--content-type=application/msgpack`), from where this
// `micro` is installed, before the flags are parsed, so a chosen plugin's own flags are known.
import "@micro/defaults/plugin-index";
import { fileURLToPath } from "node:url";
import { MicroErrorCode, PluginError } from "@micro/core";
import {
  CORE_FLAGS,
  importPackage,
  type LoadOptions,
  loadPlugin,
  packageForContentType,
  resolveConfig,
} from "@micro/core/internal";
import { findCodec } from "@micro/core/plugin-kit";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const KINDS = ["registry", "transport", "broker", "selector"] as const;
const CHOICES = new Set<string>([...KINDS, "client_content_type"]);

/** The command that installs `pkg` where this `micro` (installed at `at`) finds it. */
export function installCommand(pkg: string, at = HERE): string {
  const p = at.replaceAll("\\", "/");
  if (p.includes("/.pnpm/") && p.includes("/global/")) return `pnpm add -g ${pkg}`;
  if (/\/(lib\/node_modules|npm\/node_modules)\/@micro\/cli\//.test(p)) return `npm install -g ${pkg}`;
  return `pnpm add ${pkg}`;
}

const options: LoadOptions = { from: HERE, install: (pkg) => installCommand(pkg) };

/** The Content-Type typed with a command's `--content-type` option, if any. */
function contentTypeOption(argv: readonly string[]): string | undefined {
  const i = argv.findIndex((a) => a === "--content-type" || a.startsWith("--content-type="));
  if (i < 0) return undefined;
  return argv[i]!.includes("=") ? argv[i]!.slice("--content-type=".length) : argv[i + 1];
}

async function loadCodec(contentType: string): Promise<void> {
  if (findCodec(contentType)) return;
  const pkg = packageForContentType(contentType);
  if (!pkg || (await importPackage(pkg, HERE))) return; // unknown types fail on use, as in an app
  throw new PluginError(
    MicroErrorCode.PluginNotFound,
    `Content-Type ${contentType} is served by ${pkg}, which is not installed: ${installCommand(pkg)}`,
  );
}

/**
 * Loads the plugins that the flags and MICRO_* env vars choose (core's precedence: flag > env).
 * Rejects with a one-line PluginError saying what to install when one is missing.
 */
export async function loadChosenPlugins(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  let chosen: Record<string, unknown>;
  try {
    chosen = resolveConfig(
      CORE_FLAGS.filter((f) => CHOICES.has(f.name)),
      { argv, env },
    );
  } catch {
    return; // a malformed value is reported by the command's own parsing
  }
  for (const kind of KINDS) {
    const name = chosen[kind];
    if (typeof name === "string" && name) await loadPlugin(kind, name, options);
  }
  for (const ct of [chosen.client_content_type, contentTypeOption(argv)])
    if (typeof ct === "string" && ct) await loadCodec(ct);
}
