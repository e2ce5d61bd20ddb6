// Errors that name what was dialed, so "cannot connect" says to which cluster.

export class KafkaBrokerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KafkaBrokerError";
  }
}

function reason(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error && cause.message !== err.message
      ? `${err.message}: ${cause.message}`
      : err.message;
  }
  return String(err);
}

export function unreachable(brokers: readonly string[], err: unknown): KafkaBrokerError {
  return new KafkaBrokerError(
    `kafka broker: cannot reach the Kafka cluster at ${brokers.join(", ")} (${reason(err)})`,
    { cause: err },
  );
}

/** Runs `work`, rejecting with `onTimeout()` if it takes longer than `ms` (kafkajs retries can stack). */
export async function within<T>(ms: number, work: Promise<T>, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
