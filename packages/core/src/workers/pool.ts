// The primary's side of a service served by worker processes: it forks the workers (the same
// program, argv and env, plus the worker's number), learns from them where they listen, replaces a
// worker that dies, and stops them all when the node stops. To the primary's RpcServer it is the
// listener: the server registers the address the pool reports and, when stopping, closes it (after
// deregistering) — which tells every worker to stop and waits for each to drain and exit.
//
// The workers share one listening socket through node:cluster: the primary holds the handle and
// hands connections out (round-robin on Linux). Cluster keys that handle by the address asked for,
// so workers that all ask for port 0 get the same port; a replacement joins it while any worker
// still holds it. Only if every worker is gone at once does the handle close and the next worker get
// a new port — the pool then reports it and the node is re-registered with it.
import cluster, { type Worker } from "node:cluster";
import { type Logger, logWith } from "../logger.js";
import { MicroErrorCode, PluginError } from "../plugin/plugin-error.js";
import type { Listener, Socket } from "../transport.js";
import { isListening, stopMessage } from "./messages.js";
import { workerEnv } from "./role.js";

export interface WorkerPoolOptions {
  /** How many workers (2 or more). */
  count: number;
  /** The server id of the node: the workers' log lines name it. */
  serverId: string;
  /** The transport's name, for the error when its workers cannot share an address. */
  transport: string;
  logger: Logger;
  /** How long a worker told to stop has to drain and exit before it is killed, in ms. */
  stopTimeout: number;
  /** The workers' address changed (every worker had died, and their port with them). */
  onAddress?: (address: string) => void;
}

interface Slot {
  readonly index: number;
  worker: Worker | undefined;
  /** Where the current worker listens, once it said so. */
  address: string | undefined;
  /** When the current worker started listening (a worker that served a while restarts at once). */
  since: number;
  /** Deaths in a row without serving a while: the backoff's exponent. */
  failures: number;
  restart: NodeJS.Timeout | undefined;
}

/** A replacement waits 100 ms after the first death, doubling per quick death up to 5 s. */
export function restartDelay(failures: number): number {
  return Math.min(100 * 2 ** failures, 5_000);
}
/** A worker that served this long before dying is not crash-looping: its replacement starts at once. */
const STABLE_MS = 10_000;

export class WorkerPool implements Listener {
  readonly #o: WorkerPoolOptions;
  readonly #slots: Slot[];
  #address = "";
  #started = false;
  #closing: Promise<void> | undefined;
  #ready: { resolve: () => void; reject: (err: Error) => void } | undefined;

  private constructor(options: WorkerPoolOptions) {
    this.#o = options;
    this.#slots = Array.from({ length: options.count }, (_, i) => ({
      index: i + 1,
      worker: undefined,
      address: undefined,
      since: 0,
      failures: 0,
      restart: undefined,
    }));
  }

  /** Forks the workers; resolves once every one listens, on one address. */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    if (!cluster.isPrimary)
      throw new PluginError(
        MicroErrorCode.InvalidOption,
        "--server_workers: this process is a cluster worker already; only a primary process forks workers",
      );
    const pool = new WorkerPool(options);
    try {
      await new Promise<void>((resolve, reject) => {
        pool.#ready = { resolve, reject };
        for (const slot of pool.#slots) pool.#fork(slot);
      });
    } catch (err) {
      await pool.close();
      throw err;
    }
    pool.#started = true;
    logWith(options.logger, "info", `${options.count} workers serving on ${pool.#address}`, {
      workers: pool.pids(),
    });
    return pool;
  }

  /** The address every worker listens on. */
  addr(): string {
    return this.#address;
  }

  /** The workers accept the connections; the primary never holds one. */
  accept(_handler: (socket: Socket) => void): void {}

  /** The live workers' process ids, by worker number (0 for one being replaced). */
  pids(): number[] {
    return this.#slots.map((s) => s.worker?.process.pid ?? 0);
  }

  /** Tells every worker to stop (each drains its calls as a stopping service does) and waits for them to exit. */
  close(): Promise<void> {
    this.#closing ??= Promise.all(
      this.#slots.map((slot) => {
        clearTimeout(slot.restart);
        return slot.worker ? this.#stop(slot, slot.worker) : undefined;
      }),
    ).then(() => {});
    return this.#closing;
  }

  #fork(slot: Slot): void {
    const worker = cluster.fork(workerEnv(slot.index, this.#o.serverId));
    slot.worker = worker;
    slot.address = undefined;
    worker.on("message", (m: unknown) => {
      if (isListening(m) && slot.worker === worker) this.#listening(slot, m.address);
    });
    worker.on("exit", (code, signal) => {
      if (slot.worker === worker) this.#exited(slot, worker, code, signal);
    });
    // a worker whose channel broke cannot be told to stop: the exit that follows is handled
    worker.on("error", (err) => this.#o.logger.debug(`worker ${slot.index}: ${err.message}`));
  }

  #listening(slot: Slot, address: string): void {
    slot.address = address;
    slot.since = Date.now();
    if (!this.#started) {
      if (this.#slots.some((s) => s.address === undefined)) return;
      const addresses = new Set(this.#slots.map((s) => s.address));
      if (addresses.size > 1) {
        this.#ready?.reject(
          new PluginError(
            MicroErrorCode.InvalidOption,
            `--server_workers: the ${this.#o.transport} transport gave the workers different addresses (${[...addresses].join(", ")}); workers need a transport that listens on a port they can share, such as http`,
          ),
        );
        return;
      }
      this.#address = address;
      this.#ready?.resolve();
      return;
    }
    logWith(this.#o.logger, "info", `worker ${slot.index} serving`, {
      worker: slot.index,
      pid: slot.worker?.process.pid,
    });
    if (address === this.#address) return;
    const sharing = this.#slots.some((s) => s !== slot && s.worker && s.address === this.#address);
    if (sharing) {
      this.#o.logger.error(
        `worker ${slot.index} listens on ${address}, not on the node's ${this.#address}: it gets no calls`,
      );
      return;
    }
    this.#o.logger.warn(`every worker had stopped and their port with them: the node is now at ${address}`);
    this.#address = address;
    this.#o.onAddress?.(address);
  }

  #exited(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    slot.worker = undefined;
    slot.address = undefined;
    if (this.#closing) return;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!this.#started) {
      this.#ready?.reject(
        new PluginError(
          MicroErrorCode.ServiceState,
          `worker ${slot.index} exited (${how}) before it served; its log above says why`,
        ),
      );
      return;
    }
    if (slot.since && Date.now() - slot.since >= STABLE_MS) slot.failures = 0;
    const delay = restartDelay(slot.failures++);
    logWith(
      this.#o.logger,
      "warn",
      `worker ${slot.index} (pid ${worker.process.pid}) exited (${how}); starting another in ${delay} ms`,
      { worker: slot.index, pid: worker.process.pid, delay_ms: delay },
    );
    slot.since = 0;
    slot.restart = setTimeout(() => {
      slot.restart = undefined;
      if (!this.#closing) this.#fork(slot);
    }, delay);
  }

  async #stop(slot: Slot, worker: Worker): Promise<void> {
    if (worker.isDead()) return;
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    // a worker not listening yet has nothing to drain; one that listens drains like any stopping service
    let told = false;
    if (slot.address !== undefined && worker.isConnected()) {
      try {
        worker.send(stopMessage());
        told = true;
      } catch {}
    }
    if (!told) worker.process.kill("SIGKILL");
    const timer = setTimeout(() => {
      this.#o.logger.warn(`worker ${slot.index} still running ${this.#o.stopTimeout} ms after stop: killed`);
      worker.process.kill("SIGKILL");
    }, this.#o.stopTimeout);
    await exited;
    clearTimeout(timer);
  }
}
