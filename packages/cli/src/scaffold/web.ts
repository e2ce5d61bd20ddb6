// The web front of a `--type web` project: a plain node:http server with a page and a JSON route
// that calls the service through the generated client, as go-micro's web template calls its
// backend. (It is not registered: put it behind whatever HTTP proxy serves the site.)
import { genModule } from "./code.js";
import type { ScaffoldNames } from "./names.js";

export function webServer(n: ScaffoldNames): string {
  return `// The ${n.fqdn} web front: GET / serves public/index.html, POST /api/call calls ${n.pascal}.Call
// through the generated client (so it works the same against a service in another process).
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type Client, MicroError } from "@micro/core";
import { type CallRequest, ${n.pascal}Client } from "${genModule(n)}";

const PAGE = new URL("../public/index.html", import.meta.url);

async function readJSON(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) text += chunk;
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw MicroError.badRequest("${n.fqdn}", "the body is not JSON");
  }
}

function reply(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type }).end(body);
}

export function createWeb(client: Client): Server {
  const api = new ${n.pascal}Client(client);
  return createServer(async (req, res) => {
    try {
      if (req.method === "GET" && req.url === "/") {
        reply(res, 200, "text/html; charset=utf-8", await readFile(PAGE, "utf8"));
      } else if (req.method === "POST" && req.url === "/api/call") {
        const rsp = await api.call((await readJSON(req)) as CallRequest);
        reply(res, 200, "application/json", JSON.stringify(rsp));
      } else {
        throw MicroError.notFound("${n.fqdn}", \`no route \${req.method} \${req.url}\`);
      }
    } catch (err) {
      // go-micro error bodies, with their code as the HTTP status (500 for anything unexpected)
      const e = MicroError.from(err, "${n.fqdn}");
      reply(res, e.code >= 400 && e.code < 600 ? e.code : 500, "application/json", JSON.stringify(e));
    }
  });
}
`;
}

export function indexHtml(n: ScaffoldNames): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${n.fqdn}</title>
</head>
<body>
  <h1>${n.fqdn}</h1>
  <form id="call">
    <input name="name" placeholder="Your name" required>
    <button>Call ${n.pascal}.Call</button>
  </form>
  <pre id="answer"></pre>
  <script>
    document.getElementById("call").addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = new FormData(event.target).get("name");
      const rsp = await fetch("/api/call", { method: "POST", body: JSON.stringify({ name }) });
      document.getElementById("answer").textContent = JSON.stringify(await rsp.json(), null, 2);
    });
  </script>
</body>
</html>
`;
}
