// `micro stream <service> <Endpoint> '<json>'...`: each response printed as one JSON line. Server
// streaming sends the given request(s); bidi (`micro stream bidi`, or --bidi) also sends each JSON
// line read from stdin, and half-closes when stdin ends so the server can finish its replies.
import { createInterface, type Interface } from "node:readline";
import { isMicroError } from "@micro/core";
import { parseDuration } from "@micro/core/plugin-kit";
import { type OptionSpec, UsageError } from "../args.js";
import type { Command, Runtime } from "../command.js";
import { parseJsonArg, stringifyJson } from "../output.js";
import { CALL_OPTIONS, callOptions, requestBody } from "./call-options.js";

async function runStream(rt: Runtime, bidi: boolean): Promise<number> {
  const [service, endpoint, ...bodies] = rt.args.positionals;
  if (!service || !endpoint) throw new UsageError("stream needs <service> <Endpoint>");
  // server streaming with no request sends {} as go-micro's CLI does; bidi may start empty
  const requests = (bodies.length || bidi ? bodies : ["{}"]).map((b, i) =>
    parseJsonArg(b, `request ${i + 1}`),
  );
  const options = callOptions(rt);
  rt.io.progress(
    `streaming ${service} ${endpoint}${bidi ? " (bidi: JSON lines on stdin, Ctrl-D to end)" : ""}…`,
  );
  const stream = rt.service().client.stream<unknown, unknown>(service, endpoint, undefined, options);
  const stop = () => void stream.close().catch(() => {});
  rt.signal.addEventListener("abort", stop, { once: true });
  let stdin: Interface | undefined;
  const linger = lingerOf(rt);
  let idle: NodeJS.Timeout | undefined;
  let halfClosed = false;
  const quiet = () => {
    halfClosed = true;
    clearTimeout(idle);
    idle = setTimeout(stop, linger);
  };
  let sendError: unknown;
  const sending = (async () => {
    for (const r of requests) await stream.send(requestBody(r, options.contentType));
    if (bidi) {
      stdin = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
      let n = requests.length;
      for await (const line of stdin) {
        if (!line.trim()) continue;
        await stream.send(requestBody(parseJsonArg(line, `stdin line ${++n}`), options.contentType));
      }
    }
    try {
      // the stream then ends by itself: our servers send EOS, go-micro's close the connection
      await stream.closeSend();
    } catch (err) {
      // a go-micro server over a transport that does not show its close (501): nothing would end
      // the stream, so stop once the server has been quiet for --linger
      if (!(isMicroError(err) && err.code === 501)) throw err;
      quiet();
    }
  })();
  sending.catch((err) => {
    sendError = err;
    stop();
  });
  try {
    for await (const msg of stream) {
      rt.io.out(stringifyJson(msg));
      if (halfClosed) quiet();
    }
  } catch (err) {
    if (!rt.signal.aborted) throw sendError ?? err;
  } finally {
    clearTimeout(idle);
    rt.signal.removeEventListener("abort", stop);
    stdin?.close();
  }
  // a bad stdin line ends the stream early: report it rather than a clean end
  if (sendError && !rt.signal.aborted) throw sendError;
  await stream.close().catch(() => {});
  return 0;
}

function lingerOf(rt: Runtime): number {
  const v = rt.args.options.linger;
  if (typeof v !== "string") return 2_000;
  try {
    return parseDuration(v);
  } catch {
    throw new UsageError(`--linger wants a duration such as 500ms or 5s, got "${v}"`);
  }
}

const LINGER: OptionSpec = {
  name: "linger",
  type: "string",
  description: "After the last request, stop once the server is quiet this long (default 2s)",
};

const USAGE = "['<json>'...] [-H K:V] [-m K:V] [--address host:port]";

export const streamCommand: Command = {
  names: [["stream"], ["stream", "server"]],
  usage: `micro stream <service> <Endpoint> ${USAGE} [--bidi]`,
  summary: "Open a stream and print each response as a JSON line (server streaming)",
  options: [
    ...CALL_OPTIONS,
    LINGER,
    { name: "bidi", type: "bool", description: "Bidirectional: also send each stdin line as a request" },
  ],
  run: (rt) => runStream(rt, rt.args.options.bidi === true),
};

export const streamBidiCommand: Command = {
  names: [["stream", "bidi"]],
  usage: `micro stream bidi <service> <Endpoint> ${USAGE}`,
  summary: "Bidirectional stream: JSON lines from stdin out, responses as JSON lines",
  options: [...CALL_OPTIONS, LINGER],
  run: (rt) => runStream(rt, true),
};
