import { silentLogger } from "@micro/core";
import { resolveServer } from "@micro/testing/servers";
import { RabbitMQBroker, type RabbitMQBrokerOptions } from "../src/index.js";

/** The shared server (AMQP_URL, else $SVC_DIR/env, else the local default). */
export const url = () => resolveServer("rabbitmq").address.split(",")[0]!.trim();

export const broker = (o: RabbitMQBrokerOptions = {}) =>
  new RabbitMQBroker({ addresses: [url()], logger: silentLogger, ...o });

export { eventually, sleep, text, untext } from "@micro/testing/helpers";
