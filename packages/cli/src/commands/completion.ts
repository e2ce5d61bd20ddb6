// `micro completion bash|zsh|fish`: prints the shell script; the script calls the hidden
// `micro __complete <words...>` (handled in main.ts, before flag parsing) for the candidates.
import { UsageError } from "../args.js";
import type { Command } from "../command.js";
import { SHELLS, type Shell } from "../completion/scripts.js";

export const completionCommand: Command = {
  names: [["completion"]],
  usage: "micro completion bash|zsh|fish",
  summary: "Print a shell completion script (e.g. source <(micro completion bash))",
  options: [],
  async run(rt) {
    const [shell] = rt.args.positionals;
    if (!shell || !(shell in SHELLS))
      throw new UsageError(`completion needs a shell: ${Object.keys(SHELLS).join(", ")}`);
    rt.io.out(SHELLS[shell as Shell].trimEnd());
    return 0;
  },
};
