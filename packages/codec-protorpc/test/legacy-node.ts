// A stand-in for an old go-micro node: it listens with the real http transport, records what it
// receives, answers with whatever the test says, and is registered WITHOUT `protocol` metadata, so
// core's client must take the legacy (envelope) path to reach it.
import { type Client, createClient, silentLogger, type TransportMessage } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { HttpTransport } from "@micro/transport-http";
import "@micro/broker-memory";
import "@micro/selector";
import "../src/index.js";

export interface LegacyNode {
  client: Client;
  received: TransportMessage[];
  close(): Promise<void>;
}

export async function legacyNode(
  reply: (msg: TransportMessage) => TransportMessage,
  service = "legacy",
): Promise<LegacyNode> {
  const transport = new HttpTransport({ logger: silentLogger });
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
  const registry = new MemoryRegistry();
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
