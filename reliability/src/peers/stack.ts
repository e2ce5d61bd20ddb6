// What a node and the load share: the registry named by the runner (env CHAOS_REGISTRY and
// CHAOS_REGISTRY_ADDRESS), the http transport, a memory broker (no broker traffic in the RPC
// scenarios), loopback only, warnings on stderr. Registration TTL and interval stay core's
// defaults (60 s, 30 s), so the figures are what a service gets out of the box.
import "./plugins.js";
import type { ServiceOptions } from "@micro/core";

/** Each scenario names its own service, so a node killed in one leaves no record in the next. */
export const SERVICE = process.env.CHAOS_SERVICE ?? "chaos";
export const ENDPOINT = "Chaos.Echo";

export function stackOptions(env: NodeJS.ProcessEnv = process.env): Omit<ServiceOptions, "name"> {
  const registry = env.CHAOS_REGISTRY;
  const address = env.CHAOS_REGISTRY_ADDRESS;
  if (!registry || !address) throw new Error("CHAOS_REGISTRY and CHAOS_REGISTRY_ADDRESS are required");
  return {
    registry,
    registryAddress: address,
    transport: "http",
    broker: "memory",
    selector: "registry",
    address: "127.0.0.1:0",
    argv: [],
    logLevel: "warn",
  };
}

export interface EchoRequest {
  seq: number;
}

export interface EchoReply {
  node: string;
  seq: number;
}
