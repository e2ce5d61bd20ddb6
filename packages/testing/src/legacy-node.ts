// A stand-in for an old go-micro node: it listens on the transport it is given, records what it
// receives, answers with whatever the test says, and is registered WITHOUT `protocol` metadata, so
// core's client must take the legacy (envelope) path to reach it (go-micro's client/rpc_codec.go).
// The client it comes with uses the "memory" broker and the "random" selector: the test imports
// @micro/broker-memory and @micro/selector (this package depends on no plugin).
import {
  type Client,
  createClient,
  type Registry,
  silentLogger,
  type Transport,
  type TransportMessage,
} from "@micro/core";
import { afterEach } from "vitest";

export interface LegacyNode {
  client: Client;
  received: TransportMessage[];
  close(): Promise<void>;
}

export interface LegacyNodeOptions {
  /** Where the node listens and the client dials (the codecs' tests use go-micro's http transport). */
  transport: Transport;
  /** Where the node is registered, and the client looks it up. */
  registry: Registry;
  /** The answer to each request. */
  reply: (msg: TransportMessage) => TransportMessage;
  /** The node's service name (default "legacy"). */
  service?: string;
}

export async function legacyNode(options: LegacyNodeOptions): Promise<LegacyNode> {
  const { transport, registry, reply, service = "legacy" } = options;
  const listener = await transport.listen("127.0.0.1:0");
  const received: TransportMessage[] = [];
  listener.accept(async (socket) => {
    for (;;) {
      let msg: TransportMessage;
      try {
        msg = await socket.recv();
      } catch {
        return; // the client closed its pooled connection
      }
      received.push(msg);
      await socket.send(reply(msg));
    }
  });
  await registry.register({
    name: service,
    version: "latest",
    endpoints: [],
    // no `protocol` key: how go-micro recognises a node that predates mucp
    nodes: [{ id: `${service}-1`, address: listener.addr(), metadata: {} }],
  });
  const client = createClient({
    registry,
    transport,
    broker: "memory",
    selector: "random",
    argv: [],
    env: {},
    logger: silentLogger,
    retries: 0,
  });
  return {
    client,
    received,
    async close() {
      await client.close();
      await listener.close();
      await registry.close();
    },
  };
}

/**
 * Legacy nodes for one test file: `start(reply)` starts one on what `make()` gives, and each test's
 * nodes are closed after it.
 */
export function legacyNodes(
  make: () => Omit<LegacyNodeOptions, "reply">,
): (reply: LegacyNodeOptions["reply"]) => Promise<LegacyNode> {
  const nodes: LegacyNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
  });
  return async (reply) => {
    const node = await legacyNode({ ...make(), reply });
    nodes.push(node);
    return node;
  };
}
