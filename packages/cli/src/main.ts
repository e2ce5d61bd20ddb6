// Entry point: pick the command, parse its flags, run it, turn failures into one readable line and
// an exit code scripts can trust (see exit-codes.ts).
import { parse, UsageError } from "./args.js";
import { makeService, type Runtime } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { match, unknownCommand } from "./dispatch.js";
import { ExitCode, exitCodeOf } from "./exit-codes.js";
import { commandHelp, mainHelp } from "./help.js";
import { describeError, type Format, formatOf, type Io } from "./output.js";
import { watchSignals } from "./signals.js";
import { cliVersion } from "./version.js";

export interface RunOptions {
  io?: Partial<Io>;
  /** Show progress lines on stderr (default: when stderr is a terminal, or with --debug). */
  progress?: boolean;
}

function makeIo(options: RunOptions, debug: boolean): Io {
  const io: Io = {
    out: options.io?.out ?? ((l) => process.stdout.write(`${l}\n`)),
    err: options.io?.err ?? ((l) => process.stderr.write(`${l}\n`)),
    progress: () => {},
  };
  if (options.progress ?? (process.stderr.isTTY || debug)) io.progress = options.io?.progress ?? io.err;
  return io;
}

/** The --output value if it can be read before the command is known, so early errors honour it. */
function earlyFormat(argv: readonly string[]): Format {
  const i = argv.findIndex((a) => a === "--output" || a === "-o" || a.startsWith("--output="));
  const v = i < 0 ? undefined : argv[i]!.includes("=") ? argv[i]!.split("=")[1] : argv[i + 1];
  return v === "json" ? "json" : "table";
}

export async function run(argv: readonly string[], options: RunOptions = {}): Promise<number> {
  const debug = argv.includes("--debug");
  const io = makeIo(options, debug);
  let format = earlyFormat(argv);
  const signals = watchSignals();
  let service: ReturnType<typeof makeService> | undefined;
  try {
    if (argv[0] === "--version" || argv[0] === "-v") {
      io.out(cliVersion());
      return ExitCode.Ok;
    }
    // the default stack registers itself and its flags on import: all below needs it, `micro
    // --version` does not (issue 19: load only what the command needs)
    const { loadChosenPlugins } = await import("./plugins.js");
    if (argv[0] === "__complete") {
      // before flag parsing: half-typed words must never be a usage error; only completion loads this
      const { complete } = await import("./completion/completions.js");
      for (const c of await complete(COMMANDS, argv.slice(1))) io.out(c);
      return ExitCode.Ok;
    }
    // a chosen plugin that is not installed matters only to commands that use the stack (not to
    // `micro new` with MICRO_REGISTRY=etcd in the environment), and explains its unknown flags
    const missing = await loadChosenPlugins(argv).then(
      () => undefined,
      (err: unknown) => err,
    );
    const parseOr = (specs: Parameters<typeof parse>[1]) => {
      try {
        return parse(argv, specs);
      } catch (err) {
        throw err instanceof UsageError && missing ? missing : err;
      }
    };
    // first pass with every command's options, only to find the command words
    const first = parseOr(COMMANDS.flatMap((c) => c.options));
    if (first.positionals[0] === "help") {
      const found = match(COMMANDS, first.positionals.slice(1));
      if (first.positionals.length > 1 && !found) throw unknownCommand(COMMANDS, first.positionals.slice(1));
      io.out(found ? commandHelp(found.command) : mainHelp(COMMANDS));
      return ExitCode.Ok;
    }
    const found = match(COMMANDS, first.positionals);
    if (!found) {
      if (first.positionals.length > 0) throw unknownCommand(COMMANDS, first.positionals);
      io.out(mainHelp(COMMANDS));
      return ExitCode.Ok;
    }
    const args = parseOr(found.command.options);
    args.positionals.splice(0, found.words);
    if (args.options.help) {
      io.out(commandHelp(found.command));
      return ExitCode.Ok;
    }
    format = formatOf(args.options.output);
    const rt: Runtime = {
      args,
      format,
      io,
      debug,
      service: () => {
        if (missing) throw missing;
        service ??= makeService(args.global, debug);
        return service;
      },
      stack: () => rt.service().stack(),
      registry: () => rt.service().registry(),
      interrupted: signals.interrupted,
      signal: signals.signal,
    };
    return await found.command.run(rt);
  } catch (err) {
    io.err(describeError(err, debug, format));
    return exitCodeOf(err);
  } finally {
    // plugins (etcd leases, mdns sockets, broker connections) are released before exit
    await service?.stop().catch(() => {});
    signals.dispose();
  }
}
