// The node metadata that tells clients how to reach a program: go-micro's rpc server writes these
// keys, and a client that finds no `protocol` falls back to the legacy json-rpc envelope, which a
// plain-HTTP program would not understand. So every node the sidecar registers carries them.
import type { GatewayContext } from "../context.js";

export function meshMetadata(ctx: GatewayContext): Record<string, string> {
  return {
    protocol: "mucp",
    transport: "http",
    server: "mucp",
    registry: ctx.registry.name,
    broker: ctx.broker?.name ?? "http",
  };
}

/** The program's own keys win: it may speak another protocol on purpose. */
export function withMeshMetadata(ctx: GatewayContext, own: Record<string, string>): Record<string, string> {
  return { ...meshMetadata(ctx), ...own };
}
