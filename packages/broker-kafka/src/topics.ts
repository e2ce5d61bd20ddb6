// Creates topics before first use, once per topic per broker: go-micro relies on the cluster's
// auto-creation, but clusters often turn that off, and a consumer of a topic that does not exist
// yet would otherwise miss the first messages while kafkajs waits for its metadata.
import type { Admin } from "kafkajs";

export class Topics {
  readonly #admin: Admin;
  readonly #partitions: number;
  readonly #known = new Map<string, Promise<void>>();

  constructor(admin: Admin, partitions: number) {
    this.#admin = admin;
    this.#partitions = partitions;
  }

  ensure(topic: string): Promise<void> {
    let p = this.#known.get(topic);
    if (!p) {
      // createTopics resolves false (not an error) when the topic already exists
      p = this.#admin
        .createTopics({
          topics: [{ topic, numPartitions: this.#partitions }],
          waitForLeaders: true,
        })
        .then(() => undefined);
      // a failure is not remembered: the next publish or subscribe tries again
      p.catch(() => this.#known.delete(topic));
      this.#known.set(topic, p);
    }
    return p;
  }

  /** The offset after the last record of each partition: where a "newest" consumer starts. */
  async ends(topic: string): Promise<{ partition: number; offset: string }[]> {
    const offsets = await this.#admin.fetchTopicOffsets(topic);
    return offsets.map(({ partition, high }) => ({ partition, offset: high }));
  }
}
