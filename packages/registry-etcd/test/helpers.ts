// Shared bits of the etcd tests: the test server's address, registries that do not log, and a
// raw etcd3 client for reading and writing keys behind the registry's back.
import { silentLogger } from "@micro/core";
import { serverAddress } from "@micro/testing/servers";
import { Etcd3 } from "etcd3";
import { EtcdRegistry, type EtcdRegistryOptions } from "../src/index.js";

export { eventually, recordingLogger, sleep } from "@micro/testing/helpers";

export const etcdAddress = () => serverAddress("etcd");

export function registry(options: EtcdRegistryOptions = {}): EtcdRegistry {
  return new EtcdRegistry({ addresses: [etcdAddress()], logger: silentLogger, ...options });
}

export function rawClient(address = etcdAddress()): Etcd3 {
  return new Etcd3({ hosts: `http://${address}` });
}
