// The five modes of the gateway suite: which processes each starts for one cell, and the load
// generator's command line. The TypeScript service (service.ts) is the same process in `direct`,
// `gateway` and `go-micro-api`; every HTTP mode is driven by client.js's `http-load` peer.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { goBenchBinary, goSkipReason } from "../peers/go.js";
import type { Netns } from "./netns.js";
import { type Started, spawnQuiet, start } from "./procs.js";

export const MODES = ["direct", "gateway", "gateway-go-service", "go-micro-api", "moleculer-web"] as const;
export type Mode = (typeof MODES)[number];

const dist = join(dirname(fileURLToPath(import.meta.url)), "..");
export const interopDir = join(dist, "../../interop");
const microCli = join(interopDir, "bin/micro");
// inside the namespace nothing else listens, so a fixed port is free
const MICRO_API_ADDRESS = "127.0.0.1:8080";

export interface CellSetup {
  concurrency: number;
  /** every process started so far, so that the caller stops them even when a later start fails */
  started: Started[];
  /** duration, warm-up and payload arguments of client.js after the concurrency */
  clientTail: string[];
  /** --cpu-prof flags for every Node process */
  nodeFlags: string[];
  netns: Netns;
}

export interface Cell {
  service: Started;
  /** absent in `direct` */
  gateway?: Started;
  client: [string, string[]];
}

/** Why a mode cannot run here (a binary not built), else undefined. */
export function skipReason(mode: string): string | undefined {
  if (!(MODES as readonly string[]).includes(mode)) return `${mode}: unknown mode (${MODES.join(", ")})`;
  if (mode === "gateway-go-service") return goSkipReason();
  if (mode === "go-micro-api" && !existsSync(microCli)) {
    return `go-micro-api: ${microCli} not built; run bash interop/build.sh`;
  }
  return undefined;
}

const node = (s: CellSetup, script: string, args: string[]): [string, string[]] => [
  process.execPath,
  [...s.nodeFlags, join(dist, script), ...args],
];

const loadGen = (s: CellSetup, target: string) =>
  node(s, "client.js", ["http-load", target, String(s.concurrency), ...s.clientTail]);

const tsService = (s: CellSetup, registry: "memory" | "mdns") => node(s, "gateway/service.js", [registry]);

async function track(s: CellSetup, started: Started | Promise<Started>): Promise<Started> {
  const p = await started;
  s.started.push(p);
  return p;
}

/** Our gateway in front of `service`, with a pool of one connection per caller. */
async function ourGateway(s: CellSetup, service: Started): Promise<Cell> {
  const gateway = await track(
    s,
    start(...node(s, "gateway/gateway.js", [service.address, String(s.concurrency)])),
  );
  return { service, gateway, client: loadGen(s, `${gateway.address}/api/bench/Bench.Hello`) };
}

export async function setUp(mode: Mode, s: CellSetup): Promise<Cell> {
  switch (mode) {
    case "direct": {
      const service = await track(s, start(...tsService(s, "memory")));
      // the `micro` peer's client: client.call with the address, pool of one connection per caller
      const client = node(s, "client.js", ["micro", service.address, String(s.concurrency), ...s.clientTail]);
      return { service, client };
    }
    case "gateway":
      return ourGateway(s, await track(s, start(...tsService(s, "memory"))));
    case "gateway-go-service":
      return ourGateway(s, await track(s, start(goBenchBinary, ["server"], { quiet: true })));
    case "go-micro-api": {
      const service = await track(s, start(...s.netns.wrap(...tsService(s, "mdns"))));
      // go-micro's default client pool holds 100 connections: give it one per caller, as ours has
      const env = {
        ...process.env,
        MICRO_REGISTRY: "mdns",
        MICRO_CLIENT_POOL_SIZE: String(Math.max(100, s.concurrency)),
      };
      const [cmd, argv] = s.netns.wrap(microCli, ["api", "--address", MICRO_API_ADDRESS]);
      const gateway = await track(s, spawnQuiet(cmd, argv, MICRO_API_ADDRESS, env));
      // the load generator's probe waits until `micro api` has found the service over mdns
      return {
        service,
        gateway,
        client: s.netns.wrap(...loadGen(s, `${MICRO_API_ADDRESS}/bench/Bench.Hello`)),
      };
    }
    case "moleculer-web": {
      const service = await track(s, start(...node(s, "server.js", ["moleculer"])));
      const gateway = await track(s, start(...node(s, "gateway/moleculer-web.js", [service.address])));
      return { service, gateway, client: loadGen(s, `${gateway.address}/hello`) };
    }
  }
}
