// MCP over stdio: an MCP client (Claude Desktop, an IDE) starts `micro mcp serve` and speaks JSON-RPC
// on its stdin and stdout. stdout is the protocol, so nothing else may write there: logs go to
// stderr (core's logger does).
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { McpOptions } from "./options.js";
import { createMcpServer, type MicroMcpServer } from "./server.js";

export interface StdioOptions extends McpOptions {
  /** An MCP server to serve (default: one made from these options). */
  server?: MicroMcpServer;
  stdin?: NodeJS.ReadableStream & { pause(): unknown };
  stdout?: NodeJS.WritableStream;
}

export interface StdioSession {
  server: MicroMcpServer;
  /** Resolves when the client goes away (stdin ends) or close() is called. */
  closed: Promise<void>;
  close(): Promise<void>;
}

export async function serveStdio(options: StdioOptions = {}): Promise<StdioSession> {
  const server = options.server ?? createMcpServer(options);
  const stdin = (options.stdin ?? process.stdin) as NodeJS.ReadStream;
  const stdout = (options.stdout ?? process.stdout) as NodeJS.WriteStream;
  const transport = new StdioServerTransport(stdin, stdout);
  let done: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    done = resolve;
  });
  // the SDK's transport does not notice its client leaving; the end of stdin says so
  const onEnd = () => done();
  stdin.once("end", onEnd);
  stdin.once("close", onEnd);
  const connection = await server.connect(transport);
  const onclose = connection.onclose;
  connection.onclose = () => {
    onclose?.();
    done();
  };
  const close = async () => {
    stdin.off("end", onEnd);
    stdin.off("close", onEnd);
    await connection.close().catch(() => {});
    if (!options.server) await server.close();
    done();
  };
  return { server, closed, close };
}
