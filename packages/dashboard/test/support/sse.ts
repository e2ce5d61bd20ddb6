// Reads a Server-Sent Events stream from fetch, event by event.

export interface SseEvent {
  event: string;
  data: string;
}

export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = "";
  /** Comment lines seen so far (`: ...`). */
  readonly comments: string[] = [];

  constructor(res: Response) {
    this.#reader = res.body!.getReader();
  }

  /** The next event; rejects when the stream ends first or `ms` pass. */
  async next(ms = 5000): Promise<SseEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const e: SseEvent = { event: "message", data: "" };
        let isEvent = false;
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) this.comments.push(line.slice(1).trim());
          else if (line.startsWith("event: ")) e.event = line.slice(7);
          else if (line.startsWith("data: ")) {
            e.data += line.slice(6);
            isEvent = true;
          }
        }
        if (isEvent) return e;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("no event in time");
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.#reader.read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("no event in time")), left);
        }),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) throw new Error("the stream ended");
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  /** Events until one matches, returning it. */
  async until(match: (e: SseEvent) => boolean, ms = 5000): Promise<SseEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const e = await this.next(Math.max(1, deadline - Date.now()));
      if (match(e)) return e;
    }
  }

  /** Resolves once the server ends the stream. */
  async ended(ms = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("still open")), ms);
    });
    try {
      for (;;) {
        const chunk = await Promise.race([this.#reader.read(), late]);
        if (chunk.done) return;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}
