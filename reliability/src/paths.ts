// Where the run reads and writes: the repository root, the committed results, our servers' dir.
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const RESULTS_DIR = join(ROOT, "reliability/results");
export const CHAOS_JSON = join(RESULTS_DIR, "chaos.json");
export const RELIABILITY_MD = join(ROOT, "RELIABILITY.md");
/** Our own server instances (never the shared /tmp/micro-svc). */
export const CHAOS_SVC_DIR = process.env.CHAOS_SVC_DIR ?? "/tmp/micro-chaos";
