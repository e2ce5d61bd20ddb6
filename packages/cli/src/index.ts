// The micro command as a library: run(argv) returns the exit code; the command table for embedders.
export { type OptionSpec, parse, UsageError } from "./args.js";
export type { Command, Runtime } from "./command.js";
export { COMMANDS } from "./commands/index.js";
export { ExitCode, exitCodeOf } from "./exit-codes.js";
export { commandHelp, mainHelp } from "./help.js";
export { type RunOptions, run } from "./main.js";
export { describeError, table } from "./output.js";
