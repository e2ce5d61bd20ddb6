// The network namespace of the `go-micro-api` mode. go-micro's mdns registry (what `micro api` finds
// services with) sends on every interface and cannot be pinned to loopback, so that mode's three
// processes run in a namespace of their own whose only interface is loopback, with multicast routed
// onto it (interop/netns.sh, as the interop matrix does). Needs root; the mode is skipped otherwise.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export class Netns {
  readonly name = `microts-gwbench-${process.pid}`;
  readonly #script: string;
  #created = false;

  constructor(interopDir: string) {
    this.#script = join(interopDir, "netns.sh");
  }

  /** Creates the namespace; the skip reason when it cannot. */
  create(): string | undefined {
    if (process.getuid?.() !== 0) return "go-micro-api: needs root for its network namespace (mdns)";
    try {
      execFileSync("bash", [this.#script, "create", this.name], { stdio: ["ignore", "ignore", "pipe"] });
      this.#created = true;
      return undefined;
    } catch (err) {
      return `go-micro-api: could not create a network namespace (${(err as Error).message.split("\n")[0]})`;
    }
  }

  /** The command line running `cmd argv` inside. `ip netns exec` execs, so the pid stays the command's. */
  wrap(cmd: string, argv: string[]): [string, string[]] {
    return ["ip", ["netns", "exec", this.name, cmd, ...argv]];
  }

  delete(): void {
    if (!this.#created) return;
    this.#created = false;
    execFileSync("bash", [this.#script, "delete", this.name], { stdio: "ignore" });
  }
}
