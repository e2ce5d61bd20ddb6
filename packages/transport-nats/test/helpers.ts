// Shared bits of the transport tests: where the test server is, transports that do not log, a raw client.
import { silentLogger } from "@micro/core";
import { serverAddress } from "@micro/testing/servers";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { NatsTransport, type NatsTransportOptions } from "../src/index.js";

export { sleep, text, untext, waitFor } from "@micro/testing/helpers";

export const natsAddress = () => serverAddress("nats");

export const transport = (options: NatsTransportOptions = {}) =>
  new NatsTransport({ addresses: [natsAddress()], logger: silentLogger, ...options });

export const rawClient = (address = natsAddress()): Promise<NatsConnection> => connect({ servers: address });
