// Whatever the run started must end with it: children are SIGKILLed at exit, and an interrupted run
// (SIGINT, SIGTERM) first runs the async cleanups (stopping our own server instances), bounded.
interface Killable {
  kill(): void;
}

const children = new Set<Killable>();
const cleanups: (() => Promise<void>)[] = [];

export function track(child: Killable): void {
  children.add(child);
}

export function killChildren(): void {
  for (const c of children) c.kill();
  children.clear();
}

/** Runs at the end of the run and on an interrupt (last added first). */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

export async function cleanup(): Promise<void> {
  killChildren();
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
}

process.on("exit", killChildren);
for (const sig of ["SIGINT", "SIGTERM"] as const)
  process.once(sig, () => {
    console.error(`[chaos] ${sig}: stopping children and our server instances`);
    const bail = setTimeout(() => process.exit(130), 60_000);
    void cleanup().finally(() => {
      clearTimeout(bail);
      process.exit(130);
    });
  });
