// `micro call <service> <Endpoint> '<json>'` (classic spelling `micro query`): the JSON text is sent
// verbatim as a Frame, as go-micro's micro call sends a bytes.Frame, so the request keeps every digit.
import { UsageError } from "../args.js";
import type { Command } from "../command.js";
import { parseJsonArg } from "../output.js";
import { CALL_OPTIONS, callOptions, render, requestBody } from "./call-options.js";

export const callCommand: Command = {
  names: [["call"], ["query"]],
  usage: "micro call <service> <Endpoint> ['<json>'] [-H K:V] [-m K:V] [--address host:port]",
  summary: "Call a service endpoint with a JSON request",
  options: CALL_OPTIONS,
  async run(rt) {
    const [service, endpoint, body, ...rest] = rt.args.positionals;
    if (!service || !endpoint)
      throw new UsageError("call needs <service> <Endpoint>, e.g. greeter Greeter.Hello");
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}" (quote the JSON request)`);
    const json = parseJsonArg(body, "the request");
    const options = callOptions(rt);
    rt.io.progress(`calling ${service} ${endpoint}${options.address ? ` at ${options.address}` : ""}…`);
    const rsp = await rt
      .service()
      .client.call(service, endpoint, requestBody(json, options.contentType), options);
    rt.io.out(render(rsp, rt.format));
    return 0;
  },
};
