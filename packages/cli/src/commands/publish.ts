// `micro publish <topic> '<json>'` / `micro broker publish`: one message through the chosen broker
// with the client's headers (Content-Type, Micro-Topic, Micro-ID), so go-micro subscribers decode
// it; go-micro's own `micro broker publish` sends no headers, which Go subscribers cannot decode.
import { keyValues, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { parseJsonArg } from "../output.js";
import { requestBody } from "./call-options.js";

export const publishCommand: Command = {
  names: [["publish"], ["broker", "publish"]],
  usage: "micro publish <topic> '<json>' [-m K:V]",
  summary: "Publish a JSON message to a topic",
  options: [
    { name: "metadata", short: "m", type: "list", description: "Message header KEY:VALUE (repeatable)" },
    {
      name: "content-type",
      type: "string",
      description: "Content-Type header of the message (default application/json)",
    },
  ],
  async run(rt) {
    const [topic, body, extra] = rt.args.positionals;
    if (!topic) throw new UsageError("publish needs <topic> '<json>'");
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}" (quote the JSON message)`);
    const json = parseJsonArg(body, "the message");
    rt.io.progress(`publishing to ${topic}…`);
    const contentType = (rt.args.options["content-type"] as string | undefined) ?? "application/json";
    await rt.service().client.publish(topic, requestBody(json, contentType), {
      metadata: keyValues(rt.args.options.metadata, "--metadata"),
      contentType,
      signal: rt.signal,
    });
    if (rt.format === "json") rt.io.out(JSON.stringify({ topic, published: true }));
    else rt.io.err(`published to ${topic}`);
    return 0;
  },
};
