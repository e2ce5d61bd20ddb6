// `micro subscribe <topic>` / `micro broker subscribe`: print each message as a JSON line until
// Ctrl-C or SIGTERM, then unsubscribe and exit 0.

import { parseJSON } from "@micro/codec-json";
import { UsageError } from "../args.js";
import type { Command } from "../command.js";
import { stringifyJson } from "../output.js";

function bodyOf(data: Uint8Array): unknown {
  const text = new TextDecoder().decode(data);
  try {
    return parseJSON(text);
  } catch {
    // not JSON (protobuf, plain text): print it as a string rather than dropping it
    return text;
  }
}

export const subscribeCommand: Command = {
  names: [["subscribe"], ["broker", "subscribe"]],
  usage: "micro subscribe <topic> [--queue name] [--output json]",
  summary: "Print the messages published to a topic, one JSON line each, until Ctrl-C",
  options: [{ name: "queue", type: "string", description: "Join a queue group (competing consumers)" }],
  async run(rt) {
    const [topic, extra] = rt.args.positionals;
    if (!topic) throw new UsageError("subscribe needs <topic>");
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const { broker } = await rt.stack();
    await broker.connect();
    const queue = rt.args.options.queue as string | undefined;
    const sub = await broker.subscribe(
      topic,
      (event) => {
        const body = bodyOf(event.message.body);
        rt.io.out(
          rt.format === "json"
            ? stringifyJson({ topic: event.topic, header: event.message.header, body })
            : stringifyJson(body),
        );
      },
      queue ? { queue } : {},
    );
    // always said (on stderr): a script waits for this line before it publishes
    rt.io.err(`subscribed to ${topic}${queue ? ` (queue ${queue})` : ""}; Ctrl-C to stop`);
    await rt.interrupted;
    await sub.unsubscribe().catch(() => {});
    return 0;
  },
};
