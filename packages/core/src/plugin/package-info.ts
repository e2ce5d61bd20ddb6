// A plugin's version and supported core range come from its own package.json, so they cannot drift
// from what the package manager installed: read once, when the plugin registers.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface PackageInfo {
  name: string;
  version: string;
  /** The package's peer range on @micro/core, if it declares one. */
  core?: string;
}

const CORE_PACKAGE = "@micro/core";

/** The package.json nearest above `moduleUrl` (a module's `import.meta.url`). */
export function packageInfo(moduleUrl: string): PackageInfo {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    let text: string | undefined;
    try {
      text = readFileSync(join(dir, "package.json"), "utf8");
    } catch {
      // not here: look one level up
    }
    if (text !== undefined) {
      const pkg = JSON.parse(text) as {
        name?: string;
        version?: string;
        peerDependencies?: Record<string, string>;
      };
      const core = pkg.peerDependencies?.[CORE_PACKAGE];
      return { name: pkg.name ?? "", version: pkg.version ?? "0.0.0", ...(core ? { core } : {}) };
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${moduleUrl}`);
    dir = up;
  }
}

let core: PackageInfo | undefined;

/** This @micro/core's own name and version. */
export function corePackage(): PackageInfo {
  core ??= packageInfo(import.meta.url);
  return core;
}
