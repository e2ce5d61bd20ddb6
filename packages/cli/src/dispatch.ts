// Picks the command from the leading words, longest spelling first (`registry get` before
// `registry`), and explains a miss with the nearest spelling.
import { UsageError } from "./args.js";
import type { Command } from "./command.js";
import { closest } from "./suggest.js";

export interface Match {
  command: Command;
  /** How many positionals the command's name used. */
  words: number;
}

export function match(commands: readonly Command[], positionals: readonly string[]): Match | undefined {
  let best: Match | undefined;
  for (const command of commands) {
    for (const name of command.names) {
      if (name.every((w, i) => positionals[i] === w) && (!best || name.length > best.words))
        best = { command, words: name.length };
    }
  }
  return best;
}

export function unknownCommand(commands: readonly Command[], positionals: readonly string[]): UsageError {
  const spellings = commands.filter((c) => !c.hidden).flatMap((c) => c.names.map((n) => n.join(" ")));
  const [first, second] = positionals;
  // a known group with an unknown verb: list the verbs it has
  const group = spellings.filter((s) => s.startsWith(`${first} `));
  const verbs = group.map((s) => s.slice(first!.length + 1));
  if (group.length && second === undefined)
    return new UsageError(`"${first}" needs a subcommand: ${verbs.join(", ")}`);
  if (group.length && second !== undefined) {
    const near = closest(second, verbs);
    return new UsageError(
      `unknown command "${first} ${second}"${near ? `; did you mean "${first} ${near}"?` : ""} (${first} has: ${verbs.join(", ")})`,
    );
  }
  const near = closest(first!, new Set(spellings.map((s) => s.split(" ")[0]!)));
  return new UsageError(`unknown command "${first}"${near ? `; did you mean "${near}"?` : ""}`);
}
