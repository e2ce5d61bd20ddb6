// Shared bits of the NATS tests: the test server, registries that do not log, a raw client.
import { type Logger, silentLogger } from "@micro/core";
import { resolveServer } from "@micro/testing/servers";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { NatsRegistry, type NatsRegistryOptions } from "../src/index.js";

export const natsAddress = () => {
  const { host, port } = resolveServer("nats");
  return `${host}:${port}`;
};

export function registry(options: NatsRegistryOptions = {}): NatsRegistry {
  return new NatsRegistry({ addresses: [natsAddress()], logger: silentLogger, ...options });
}

export function rawClient(address = natsAddress()): Promise<NatsConnection> {
  return connect({ servers: address });
}

export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warnings, warn: (msg: string) => void warnings.push(msg) };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function eventually<T>(check: () => T | Promise<T>, timeout = 5000): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await sleep(50);
    }
  }
}
