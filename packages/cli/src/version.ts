// The package's version, read from package.json beside dist/ so it cannot drift from the release.
import { readFileSync } from "node:fs";

export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
