// `micro version` (also `micro --version`): the CLI's own version, for bug reports.
import type { Command } from "../command.js";
import { cliVersion } from "../version.js";

export const versionCommand: Command = {
  names: [["version"]],
  usage: "micro version [--output json]",
  summary: "Print the version of the micro command",
  options: [],
  async run(rt) {
    const version = cliVersion();
    rt.io.out(rt.format === "json" ? JSON.stringify({ version, node: process.version }) : version);
    return 0;
  },
};
