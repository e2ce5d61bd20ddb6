// The versions of the servers the figures were measured against, for the report's header.
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

async function first(cmd: string, args: string[], pattern: RegExp): Promise<string> {
  try {
    const { stdout, stderr } = await exec(cmd, args, { timeout: 10_000 });
    return pattern.exec(`${stdout}\n${stderr}`)?.[1] ?? "unknown";
  } catch {
    return "not installed";
  }
}

function kafkaVersion(): string {
  const cache = process.env.MICRO_CACHE_DIR ?? join(homedir(), ".cache/micro-ts");
  const version = process.env.KAFKA_VERSION ?? "4.4.0";
  try {
    const jar = readdirSync(join(cache, `kafka-${version}`, "jars")).find((f) => /^kafka_[\d.]+-/.test(f));
    return jar ? jar.replace(/^kafka_[\d.]+-(.*)\.jar$/, "$1") : "not installed";
  } catch {
    return "not installed";
  }
}

export async function serverVersions(): Promise<Record<string, string>> {
  const cache = process.env.MICRO_CACHE_DIR ?? join(homedir(), ".cache/micro-ts");
  const consul = join(cache, `consul-${process.env.CONSUL_VERSION ?? "1.22.7"}`, "consul");
  const [nats, etcd, rabbitmq, erlang, consulV, java] = await Promise.all([
    first("nats-server", ["--version"], /v(\d[\w.-]*)/),
    first("etcd", ["--version"], /etcd Version: (\S+)/),
    first("dpkg-query", ["-W", "rabbitmq-server"], /\t(?:\d+:)?([\d.]+)/),
    first("dpkg-query", ["-W", "erlang-base"], /\t(?:\d+:)?([\d.]+)/),
    first(consul, ["version"], /Consul v(\S+)/),
    first("java", ["-version"], /version "([^"]+)"/),
  ]);
  return {
    "nats-server": `${nats} (JetStream)`,
    etcd,
    RabbitMQ: `${rabbitmq} (Erlang ${erlang})`,
    Kafka: `${kafkaVersion()} (KRaft, Java ${java})`,
    Consul: `${consulV} (single server)`,
  };
}
