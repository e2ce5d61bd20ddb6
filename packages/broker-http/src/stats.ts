// What the publisher side of one broker did with its messages, so a loss is a number someone can
// read and alert on rather than a silence (go-micro's http broker keeps no count).

/** Counts since the broker was made; see `HttpBroker.stats()`. */
export interface HttpBrokerStats {
  /** publish() calls that looked for subscribers. */
  published: number;
  /** Deliveries a subscriber took: one per broadcast subscriber and per queue group reached. */
  delivered: number;
  /**
   * Deliveries lost: every attempt failed (the subscriber is dead or unreachable), or the
   * subscriber answered that it did not take the message (its handler failed, it no longer has the
   * subscription, it refused the envelope). A publish() that rejected for it (`requireDelivery`)
   * counts here too.
   */
  dropped: number;
  /** publish() calls that found no subscriber at all (nobody listens: not a loss, as in go-micro). */
  unrouted: number;
  /** Deliveries waiting for a background attempt (neither delivered nor dropped yet). */
  retrying: number;
}

export function emptyStats(): HttpBrokerStats {
  return { published: 0, delivered: 0, dropped: 0, unrouted: 0, retrying: 0 };
}
