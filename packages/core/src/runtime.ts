// Node before 22 lacks what the wire formats rely on (JSON.parse source text for exact int64,
// among others) and would silently change bytes on the wire, so it is refused at import time.
import { MicroErrorCode, PluginError } from "./plugin/plugin-error.js";

export const NODE_MAJOR_MIN = 22;

export function assertSupportedNode(version: string = process.versions.node): void {
  const major = Number(version.split(".")[0]);
  if (!(major >= NODE_MAJOR_MIN)) {
    throw new PluginError(
      MicroErrorCode.UnsupportedRuntime,
      `@micro/core needs Node.js ${NODE_MAJOR_MIN} or newer; this is Node.js ${version}`,
    );
  }
}
