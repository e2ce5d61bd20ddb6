import { createServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

export interface Captured {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface RawNode {
  address: string;
  requests: Captured[];
  server: Server;
  close(): Promise<void>;
}

/** A bare node:http(s) server on 127.0.0.1 recording every request, answering 200 (or `status`). */
export async function rawNode(
  options: { tls?: { cert: string; key: string }; status?: number } = {},
): Promise<RawNode> {
  const requests: Captured[] = [];
  const onRequest = (req: IncomingMessage, res: import("node:http").ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(options.status ?? 200).end();
    });
  };
  const server = options.tls ? createHttpsServer(options.tls, onRequest) : createServer(onRequest);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    requests,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export { selfSignedCert, sleep, text, waitFor } from "@micro/testing/helpers";
