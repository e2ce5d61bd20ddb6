// Help text, generated from the command table and core's flag table, so a new command or an
// imported plugin's flags show up without editing this file.
import { allFlagSpecs, usage } from "@micro/core/internal";
import { COMMON_OPTIONS, type OptionSpec } from "./args.js";
import type { Command } from "./command.js";
import { EXIT_CODE_HELP } from "./exit-codes.js";

const optionLines = (specs: readonly OptionSpec[]) =>
  specs
    .map((s) => {
      const flag = `${s.short ? `-${s.short}, ` : "    "}--${s.name}${s.type === "bool" ? "" : " value"}`;
      return `  ${flag.padEnd(28)} ${s.description}`;
    })
    .join("\n");

export function commandHelp(command: Command): string {
  const aliases = command.names.slice(1).map((n) => `micro ${n.join(" ")}`);
  return [
    `${command.summary}\n`,
    `Usage: ${command.usage}`,
    aliases.length ? `Also:  ${aliases.join(", ")}` : "",
    command.options.length ? `\nOptions:\n${optionLines(command.options)}` : "",
    `\nCommon options:\n${optionLines(COMMON_OPTIONS)}`,
    "\nGlobal flags (--registry, --broker, ... and their MICRO_* env vars): see 'micro --help'",
  ]
    .filter((l) => l !== "")
    .join("\n");
}

export function mainHelp(commands: readonly Command[]): string {
  const visible = commands.filter((c) => !c.hidden);
  const names = visible.map((c) => c.names[0]!.join(" "));
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return [
    "micro: inspect, call and publish to go-micro compatible services\n",
    "Usage: micro [global flags] <command> [args] [options]\n",
    "Commands:",
    ...visible.map((c, i) => `  ${names[i]!.padEnd(width)} ${c.summary}`),
    "\nRun 'micro <command> --help' for a command's options and other spellings.\n",
    `Common options:\n${optionLines(COMMON_OPTIONS)}\n`,
    "Global flags (flag > env var > default; a plugin's own flags once it is chosen, e.g.",
    `'micro --registry=etcd --help'):\n${usage(allFlagSpecs())}\n`,
    EXIT_CODE_HELP,
  ].join("\n");
}
