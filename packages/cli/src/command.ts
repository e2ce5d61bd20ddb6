// What every command file exports, and the runtime it gets: parsed args, output, cancellation and
// a lazily built go-micro stack (so `micro --help` never touches the network).
import { createLogger, MicroService, type Registry, silentLogger } from "@micro/core";
import { defaultPlugin, pluginIndex, type Stack } from "@micro/core/internal";
import { type OptionSpec, type Parsed, UsageError } from "./args.js";
import type { Format, Io } from "./output.js";

export interface Runtime {
  args: Parsed;
  format: Format;
  io: Io;
  debug: boolean;
  /** A client-only service on the resolved plugins (global flags, MICRO_* env). */
  service(): MicroService;
  stack(): Promise<Stack>;
  /** The registry alone (a command that only reads it loads no transport, broker or codec). */
  registry(): Promise<Registry>;
  /** Resolves when the user presses Ctrl-C (or SIGTERM), for long-running commands. */
  interrupted: Promise<void>;
  /** Aborted on Ctrl-C/SIGTERM, for calls in flight. */
  signal: AbortSignal;
}

export interface Command {
  /** Words that select the command, e.g. ["services"] and aliases like ["list", "services"]. */
  names: string[][];
  usage: string;
  summary: string;
  options: OptionSpec[];
  /** Left out of `micro --help` and completion (internal helpers such as `__complete`). */
  hidden?: boolean;
  /** Returns the exit code. */
  run(rt: Runtime): Promise<number>;
}

export function makeService(global: string[], debug: boolean): MicroService {
  return new MicroService({
    name: "micro.cli",
    argv: global,
    handleSignals: false,
    logger: debug ? createLogger("debug", "micro") : silentLogger,
  });
}

/** Refuses positional arguments, for commands that take none. */
export function noArguments(rt: Runtime): void {
  const extra = rt.args.positionals[0];
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
}

/** The registry chosen by flag or env, else the default (registered, or named by the index). */
export function registryName(rt: Runtime): string {
  return (
    rt.service().config().registry ??
    defaultPlugin("registry")?.name ??
    pluginIndex().find((e) => e.kind === "registry" && e.default)?.names[0] ??
    "the default registry"
  );
}
