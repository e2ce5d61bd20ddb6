// Ctrl-C and SIGTERM: the first one asks the running command to stop (long-running commands then
// finish cleanly and exit 0; a call in flight is cancelled); a second one exits at once, for the
// 3 a.m. case where something refuses to stop.
import { ExitCode } from "./exit-codes.js";

export interface Interruption {
  signal: AbortSignal;
  /** Resolves on the first SIGINT/SIGTERM. */
  interrupted: Promise<void>;
  dispose(): void;
}

export function watchSignals(onSecond: () => void = () => process.exit(ExitCode.Interrupted)): Interruption {
  const controller = new AbortController();
  let resolve!: () => void;
  const interrupted = new Promise<void>((r) => (resolve = r));
  const handler = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) return onSecond();
    controller.abort(new Error(`interrupted by ${sig}`));
    resolve();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    interrupted,
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
