// `--server_name` mode: the sidecar registers the program as go-micro's server registers itself:
// once at start, again every interval with the TTL, and off at close. With a health URL each round
// checks the program first: a failing program is taken out of the registry at once (callers stop
// choosing it) and put back when it passes again. Each change of state is logged once, not each round.
import { randomUUID } from "node:crypto";
import type { Service } from "@micro/core";
import { advertiseAddress } from "@micro/core/plugin-kit";
import type { GatewayContext } from "../context.js";
import { checkHealth } from "./health.js";
import { withMeshMetadata } from "./node-metadata.js";
import type { ResolvedProgram } from "./options.js";

type State = "new" | "registered" | "unhealthy" | "failing";

export class ProgramRegistration {
  readonly service: Service;
  readonly #ctx: GatewayContext;
  readonly #p: ResolvedProgram;
  #state: State = "new";
  #registered = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> = Promise.resolve();

  constructor(ctx: GatewayContext, program: ResolvedProgram) {
    this.#ctx = ctx;
    this.#p = program;
    this.service = {
      name: program.name,
      version: program.version,
      metadata: {},
      endpoints: program.endpoints,
      nodes: [
        {
          id: `${program.name}-${randomUUID()}`,
          address: advertiseAddress(program.address),
          metadata: withMeshMetadata(ctx, program.metadata),
        },
      ],
    };
  }

  /** The first round (resolves when it is done, whatever its outcome), then one every interval. */
  async start(): Promise<void> {
    this.#round = this.#once();
    await this.#round;
    this.#schedule();
  }

  /** Stops the rounds and takes the node out of the registry. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#round;
    if (!this.#registered) return;
    this.#registered = false;
    try {
      await this.#ctx.registry.deregister(this.service);
      this.#ctx.logger.info(`sidecar: deregistered ${this.#label()}`);
    } catch (err) {
      this.#ctx.logger.warn(`sidecar: deregistering ${this.#label()}: ${message(err)}`);
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    // a chain of timeouts, not an interval: a slow round never overlaps the next
    this.#timer = setTimeout(() => {
      this.#round = this.#once().finally(() => this.#schedule());
    }, this.#p.interval);
    this.#timer.unref();
  }

  async #once(): Promise<void> {
    const url = this.#p.healthCheckUrl;
    const health = url ? await checkHealth(url, this.#p.healthTimeout) : { ok: true, reason: "" };
    if (this.#stopped) return;
    if (!health.ok) {
      this.#enter(
        "unhealthy",
        `sidecar: ${this.#label()} failed its health check (${health.reason}): deregistering`,
      );
      if (this.#registered) {
        this.#registered = false;
        await this.#ctx.registry.deregister(this.service).catch((err) => {
          this.#ctx.logger.warn(`sidecar: deregistering ${this.#label()}: ${message(err)}`);
        });
      }
      return;
    }
    try {
      await this.#ctx.registry.register(this.service, { ttl: this.#p.ttl });
      this.#registered = true;
      this.#enter("registered", `sidecar: registered ${this.#label()}${url ? " (healthy)" : ""}`);
    } catch (err) {
      this.#enter("failing", `sidecar: registering ${this.#label()}: ${message(err)}`);
    }
  }

  #enter(state: State, line: string): void {
    if (this.#state === state) return;
    this.#state = state;
    if (state === "registered") this.#ctx.logger.info(line);
    else this.#ctx.logger.warn(line);
  }

  #label(): string {
    const node = this.service.nodes[0]!;
    return `${this.service.name} node ${node.id} at ${node.address}`;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
