// Selector: turns a service name into nodes to try, using the registry (through a cache).
import type { Node, Service } from "./registry.js";

/** Returns the next node to try; throws MicroError when none is left. */
export type Next = () => Node;
export type Filter = (services: Service[]) => Service[];
export type Strategy = (services: Service[]) => Next;

export interface SelectOptions {
  filters?: Filter[];
  strategy?: Strategy;
}

export interface Selector {
  readonly name: string;
  /** Rejects with a 500 `go.micro.client` MicroError "service X: not found" when nothing matches. */
  select(service: string, options?: SelectOptions): Promise<Next>;
  /** Reports the outcome of a call to `node`; a failure makes the selector avoid it for a while. */
  mark(service: string, node: Node, error?: unknown): void;
  /** Forgets cached state of `service`. */
  reset(service: string): void;
  close(): Promise<void>;
}
