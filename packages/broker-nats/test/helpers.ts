// Shared bits of the broker tests: where the test server is, brokers that do not log, a raw client.
import { silentLogger } from "@micro/core";
import { resolveServer } from "@micro/testing/servers";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { NatsBroker, type NatsBrokerOptions } from "../src/index.js";

export const natsAddress = () => {
  const { host, port } = resolveServer("nats");
  return `${host}:${port}`;
};

export const broker = (options: NatsBrokerOptions = {}) =>
  new NatsBroker({ addresses: [natsAddress()], logger: silentLogger, ...options });

export const rawClient = (address = natsAddress()): Promise<NatsConnection> => connect({ servers: address });

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor(cond: () => boolean, timeout = 5000, what = "the condition"): Promise<void> {
  const until = Date.now() + timeout;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(5);
  }
}

export const text = (s: string) => new TextEncoder().encode(s);
export const untext = (b: Uint8Array) => new TextDecoder().decode(b);
