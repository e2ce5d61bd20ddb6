// The Node.js version the CLI needs, checked by bin.ts before anything else loads. Imports nothing:
// on an older Node, loading @micro/core (or syntax it lacks) would fail with a stack trace instead.

/** The oldest Node.js major the CLI runs on: its package.json `engines.node` (>=22), core's minimum. */
export const NODE_MAJOR_MIN = 22;

/** A one-line refusal for an older Node.js, or undefined when `version` is new enough. */
export function oldNodeMessage(version: string = process.versions.node): string | undefined {
  const major = Number(version.split(".")[0]);
  if (major >= NODE_MAJOR_MIN) return undefined;
  return `micro: Node.js ${NODE_MAJOR_MIN} or newer is required; this is Node.js ${version}`;
}
