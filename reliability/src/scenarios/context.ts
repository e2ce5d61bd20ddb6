// What every scenario gets: the budget, our own server instances, where the peer scripts are, and
// a log line on stderr with the time since the run began.
import { join } from "node:path";
import type { Instances } from "../servers/instances.js";
import type { Budget } from "./budget.js";

export interface ScenarioContext {
  budget: Budget;
  instances: Instances;
  log(msg: string): void;
}

const peers = join(import.meta.dirname, "../peers");

/** The compiled script of a peer (`node`, `load`, `broker-sub`, `broker-pub`). */
export function peerScript(name: string): string {
  return join(peers, `${name}.js`);
}

export function makeLog(startedAt = Date.now()): (msg: string) => void {
  return (msg) => console.error(`[chaos +${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${msg}`);
}
