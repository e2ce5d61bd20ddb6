// The SDK's own client, as an MCP client application would use it, plus a recorder of the
// notifications a test waits for (tools/list_changed, progress).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type CallToolResult, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

export interface TestClient {
  client: Client;
  /** The protocol revision the client and server agreed on. */
  protocolVersion(): string | undefined;
  /** notifications/tools/list_changed received so far. */
  listChanges(): number;
  /** Resolves at the next list_changed after this call (at most ms). */
  nextListChange(ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function connect(transport: Transport): Promise<TestClient> {
  const client = new Client({ name: "micro-mcp-test", version: "1.0.0" });
  let negotiated: string | undefined;
  const t = transport as Transport & { setProtocolVersion?: (v: string) => void };
  const own = t.setProtocolVersion?.bind(t);
  t.setProtocolVersion = (v) => {
    negotiated = v;
    own?.(v);
  };
  let changes = 0;
  let waiters: (() => void)[] = [];
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    changes++;
    for (const w of waiters.splice(0)) w();
  });
  await client.connect(transport);
  return {
    client,
    protocolVersion: () => negotiated,
    listChanges: () => changes,
    nextListChange(ms = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== done);
          reject(new Error(`no notifications/tools/list_changed within ${ms} ms`));
        }, ms);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.push(done);
      });
    },
    close: () => client.close(),
  };
}

export function httpTransport(
  url: string,
  headers: Record<string, string> = {},
): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
}

/** A call with the progress notifications it brought. */
export async function callWithProgress(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ result: CallToolResult; progress: { progress: number; message?: string }[] }> {
  const progress: { progress: number; message?: string }[] = [];
  const result = (await client.callTool({ name, arguments: args }, undefined, {
    onprogress: (p) => progress.push({ progress: p.progress, ...(p.message ? { message: p.message } : {}) }),
  })) as CallToolResult;
  return { result, progress };
}

/** The text of a result's first content block. */
export function textOf(r: CallToolResult): string {
  const c = r.content[0];
  return c?.type === "text" ? c.text : "";
}

/** Waits until check() holds, polling every 50 ms. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  what: string,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
