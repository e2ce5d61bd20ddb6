// Shared bits of the NATS tests: the test server, registries that do not log, a raw client.
import { silentLogger } from "@micro/core";
import { serverAddress } from "@micro/testing/servers";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { NatsRegistry, type NatsRegistryOptions } from "../src/index.js";

export { eventually, recordingLogger, sleep } from "@micro/testing/helpers";

export const natsAddress = () => serverAddress("nats");

export function registry(options: NatsRegistryOptions = {}): NatsRegistry {
  return new NatsRegistry({ addresses: [natsAddress()], logger: silentLogger, ...options });
}

export function rawClient(address = natsAddress()): Promise<NatsConnection> {
  return connect({ servers: address });
}
