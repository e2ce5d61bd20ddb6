// go-micro's node selection strategies: both see every node of every version as one list.
import type { Node, Service, Strategy } from "@micro/core";
import { noneAvailable } from "./errors.js";

// The registry cache hands out the same array for as long as its answer holds, so the flat node list
// is made once per answer rather than once per call (a call selects at least once).
const flat = new WeakMap<readonly Service[], Node[]>();

export function allNodes(services: Service[]): Node[] {
  let nodes = flat.get(services);
  if (nodes === undefined) {
    nodes = services.flatMap((s) => s.nodes);
    flat.set(services, nodes);
  }
  return nodes;
}

/** A uniformly random node on every call. */
export const random: Strategy = (services) => {
  const nodes = allNodes(services);
  const name = services[0]?.name ?? "";
  return () => {
    if (!nodes.length) throw noneAvailable(name);
    return nodes[Math.floor(Math.random() * nodes.length)]!;
  };
};

/**
 * Round robin with its own position per service name. go-micro restarts at a random index for every
 * call, which spreads load only statistically; keeping the position across calls makes consecutive
 * calls visit every node in turn, and retries within a call still move to the next node.
 */
export function createRoundRobin(): Strategy {
  const positions = new Map<string, number>();
  return (services) => {
    const nodes = allNodes(services);
    const name = services[0]?.name ?? "";
    return () => {
      if (!nodes.length) throw noneAvailable(name);
      // a random start keeps many clients that boot together from hitting the same first node
      const i = positions.get(name) ?? Math.floor(Math.random() * nodes.length);
      positions.set(name, (i + 1) % Number.MAX_SAFE_INTEGER);
      return nodes[i % nodes.length]!;
    };
  };
}

/** Round robin shared by every selector in the process. */
export const roundRobin: Strategy = createRoundRobin();
