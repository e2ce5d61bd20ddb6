// The harness' own flags (`--name x`, `--metadata K=V` repeatable); go-micro flags are left to core.
import { bigintAsNumber } from "@micro/core/plugin-kit";

export function flag(argv: readonly string[], name: string, fallback?: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const a = argv[i]!;
  return a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[i + 1];
}

export function flags(argv: readonly string[], name: string): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    if (a === `--${name}` && argv[i + 1]) out.push(argv[i + 1]!);
    else if (a.startsWith(`--${name}=`)) out.push(a.slice(name.length + 3));
  });
  return out;
}

export function keyValues(list: string[]): Record<string, string> {
  return Object.fromEntries(list.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
}

/** One JSON object per line on stdout: the harness reads nothing else there. Bigints as bare numbers. */
export function emit(v: unknown): void {
  process.stdout.write(`${JSON.stringify(v, bigintAsNumber)}\n`);
}
