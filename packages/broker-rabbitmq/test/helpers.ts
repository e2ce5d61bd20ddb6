import { silentLogger } from "@micro/core";
import { resolveServer } from "@micro/testing/servers";
import { RabbitMQBroker, type RabbitMQBrokerOptions } from "../src/index.js";

/** The shared server (AMQP_URL, else $SVC_DIR/env, else the local default). */
export const url = () => resolveServer("rabbitmq").address.split(",")[0]!.trim();

export const broker = (o: RabbitMQBrokerOptions = {}) =>
  new RabbitMQBroker({ addresses: [url()], logger: silentLogger, ...o });

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const text = (s: string) => new TextEncoder().encode(s);
export const untext = (b: Uint8Array) => new TextDecoder().decode(b);

/** Retries `check` until it stops throwing or `timeout` ms pass (then rethrows its error). */
export async function eventually(check: () => unknown | Promise<unknown>, timeout = 5000): Promise<void> {
  const until = Date.now() + timeout;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await sleep(20);
    }
  }
}
