// Shared bits of the etcd tests: the test server's address, registries that do not log, and a
// raw etcd3 client for reading and writing keys behind the registry's back.
import { type Logger, silentLogger } from "@micro/core";
import { resolveServer } from "@micro/testing/servers";
import { Etcd3 } from "etcd3";
import { EtcdRegistry, type EtcdRegistryOptions } from "../src/index.js";

export const etcdAddress = () => {
  const { host, port } = resolveServer("etcd");
  return `${host}:${port}`;
};

export function registry(options: EtcdRegistryOptions = {}): EtcdRegistry {
  return new EtcdRegistry({ addresses: [etcdAddress()], logger: silentLogger, ...options });
}

export function rawClient(address = etcdAddress()): Etcd3 {
  return new Etcd3({ hosts: `http://${address}` });
}

/** A logger that keeps warnings, to assert on them. */
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
