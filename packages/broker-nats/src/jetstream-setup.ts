// The JetStream side of a durable subscription: a stream capturing the topic (the one that already
// does, else a new one), and a durable pull consumer named after the queue. Both outlive the
// process, which is the point: messages published while no member of the queue runs wait for it.
import { createHash } from "node:crypto";
import { MicroError } from "@micro/core";
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/nats-core";
import { ERROR_ID } from "./names.js";

export interface DurableSettings {
  /** How long the server waits for an ack before redelivering, ms (default 30 000). */
  ackWait?: number;
  /** Deliveries of one message before the server gives up on it (default -1: no limit). */
  maxDeliver?: number;
}

// JetStream names: no whitespace, `.`, `*`, `>` (nor path separators, since streams are directories)
const NAME = /^[^\s.*>/\\]+$/;

/** A stream name for a topic: readable where the topic allows, distinct where it had to change. */
export function streamName(topic: string): string {
  const plain = topic.replace(/[^A-Za-z0-9_-]/g, "_");
  if (plain === topic) return topic;
  return `${plain}_${createHash("sha256").update(topic).digest("hex").slice(0, 8)}`;
}

export function checkDurableName(queue: string | undefined): string {
  if (!queue) {
    throw MicroError.badRequest(
      ERROR_ID,
      "nats broker: a durable subscription needs a queue: it names the JetStream durable consumer",
    );
  }
  if (!NAME.test(queue)) {
    throw MicroError.badRequest(
      ERROR_ID,
      `nats broker: queue "${queue}" cannot name a JetStream durable consumer (no spaces, ".", "*", ">", "/")`,
    );
  }
  return queue;
}

const notFound = (err: unknown) => err instanceof JetStreamApiError && err.status === 404;

/** The stream that captures `topic`, created (interest retention, file storage) when none does. */
export async function ensureStream(jsm: JetStreamManager, topic: string): Promise<string> {
  try {
    return await jsm.streams.find(topic);
  } catch (err) {
    if (!(err instanceof Error) || !/no stream matches subject/.test(err.message)) throw err;
  }
  const name = streamName(topic);
  // interest retention: a message is kept until every durable consumer of the stream has acked it,
  // which is what a broker promises; nothing piles up once everyone has it
  await jsm.streams.add({ name, subjects: [topic], retention: RetentionPolicy.Interest });
  return name;
}

/** The durable consumer `name` on `stream`, created when missing; explicit acks. */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  name: string,
  topic: string,
  settings: DurableSettings,
): Promise<void> {
  try {
    await jsm.consumers.info(stream, name);
    return;
  } catch (err) {
    if (!notFound(err)) throw err;
  }
  await jsm.consumers.add(stream, {
    durable_name: name,
    filter_subject: topic,
    ack_policy: AckPolicy.Explicit,
    // a new queue starts with what is published from now on; from then on it keeps its place
    deliver_policy: DeliverPolicy.New,
    ack_wait: nanos(settings.ackWait ?? 30_000),
    max_deliver: settings.maxDeliver ?? -1,
  });
}
