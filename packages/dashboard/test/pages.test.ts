// The pages as a browser without JavaScript gets them: services, nodes, field trees, the call
// forms and their labels, escaping of everything the registry says, and the security headers. The
// gateway's own routes keep working next to them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mesh, page, record, startMesh } from "./support/mesh.js";

let mesh: Mesh;

beforeAll(async () => {
  mesh = await startMesh({ dashboard: { title: "Test mesh" } });
  // a record with markup everywhere a page shows registry text
  await mesh.registry.register(
    record("evil.<b>svc</b>", "127.0.0.1:1", {
      metadata: { description: "<script>alert('svc')</script>" },
      endpoints: [
        {
          name: "Evil.<img src=x onerror=alert(1)>",
          metadata: { note: '"><script>alert(2)</script>' },
          request: { name: "R", type: "R", values: [{ name: "<script>f</script>", type: "string" }] },
        },
      ],
      nodes: [{ id: "evil-1", address: "127.0.0.1:1", metadata: { owner: "<script>alert(3)</script>" } }],
    }),
  );
});

afterAll(async () => {
  await mesh?.close();
});

const text = async (path: string) => {
  const res = await page(`${mesh.url}${path}`);
  expect(res.status, path).toBe(200);
  return res.text();
};

describe("home", () => {
  it("lists every service with versions, nodes and health, each linking to its page", async () => {
    const html = await text("/");
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain("<title>Services · Test mesh</title>");
    expect(html).toContain("<caption>Registered services</caption>");
    expect(html).toContain('<a href="/services/greeter">greeter</a>');
    const row = /<tr data-service="greeter">([\s\S]*?)<\/tr>/.exec(html)![1]!;
    expect(row).toContain('<td data-col="versions">1.0.0</td>');
    expect(row).toContain('<td data-col="nodes">1</td>');
    expect(row).toContain('<td data-col="healthy">1 of 1</td>');
    expect(html).toContain('aria-live="polite"');
    expect(html).toContain('data-events="/dashboard/events"');
    // landmarks, skip link, navigation
    expect(html).toContain('<a class="skip-link" href="#main">Skip to content</a>');
    expect(html).toContain('<main id="main" tabindex="-1">');
    expect(html).toContain('<nav aria-label="Main">');
    expect(html).toContain('<a href="/" aria-current="page">Services</a>');
    expect(html).toMatch(
      /<script type="module" src="\/dashboard\/assets\/home\.js\?v=[0-9a-f]{12}"><\/script>/,
    );
  });

  it("sends a strict content security policy and the other safety headers", async () => {
    const res = await page(`${mesh.url}/`);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });

  it("has no inline script or style anywhere", async () => {
    for (const path of ["/", "/services/greeter", "/topics", "/explorer", "/login"]) {
      const html = await text(path);
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html, path).not.toMatch(/\sstyle=/);
      expect(html, path).not.toMatch(/<style/);
      expect(html, path).not.toMatch(/\son[a-z]+=/);
    }
  });
});

describe("service page", () => {
  let html: string;
  beforeAll(async () => {
    html = await text("/services/greeter");
  });

  it("shows the nodes with id, address and metadata", async () => {
    const [versions] = await mesh.registry.getService("greeter");
    const node = versions!.nodes[0]!;
    expect(html).toContain("<h1>greeter</h1>");
    expect(html).toContain("<caption>Nodes of greeter</caption>");
    expect(html).toContain(`<code>${node.id}</code>`);
    expect(html).toContain(`<code>${node.address}</code>`);
    expect(html).toContain("<dt>team</dt><dd>web</dd>");
  });

  it("shows request and response schemas as nested field trees", () => {
    const hello = section(html, "Greeter.Hello");
    expect(hello).toContain("Request: <code>HelloRequest</code>");
    expect(hello).toContain('<code class="field-name">name</code> <span class="field-type">string</span>');
    expect(hello).toMatch(
      /<code class="field-name">address<\/code> <span class="field-type">Address<\/span><ul class="fields"><li><code class="field-name">street<\/code>/,
    );
    expect(hello).toContain('<code class="field-name">msg</code>');
  });

  it("generates a labelled, typed form from the request schema with a raw JSON mode", () => {
    const hello = section(html, "Greeter.Hello");
    expect(hello).toContain('aria-label="Call Greeter.Hello"');
    expect(hello).toContain('data-service="greeter" data-endpoint="Greeter.Hello" data-stream=""');
    const labelled = (field: string) => {
      const m = new RegExp(`<label for="([^"]+)">${field}</label>`).exec(hello);
      expect(m, field).not.toBeNull();
      const input = new RegExp(`<input [^>]*id="${m![1]}"[^>]*>`).exec(hello);
      expect(input, `input of ${field}`).not.toBeNull();
      return input![0];
    };
    expect(labelled("name")).toContain('type="text"');
    expect(labelled("name")).toContain('data-path="[&quot;name&quot;]"');
    expect(labelled("age")).toContain('type="number" step="1"');
    expect(labelled("big")).toContain('data-kind="int64"');
    expect(labelled("vip")).toContain('type="checkbox"');
    expect(labelled("tags")).toContain('data-kind="json"');
    expect(labelled("street")).toContain('data-path="[&quot;address&quot;,&quot;street&quot;]"');
    expect(hello).toMatch(
      /<fieldset class="struct"[^>]*>\n<legend>address <span class="field-type">Address<\/span><\/legend>/,
    );
    expect(hello).toContain("<legend>Request input</legend>");
    expect(hello).toContain('value="raw"> Raw JSON</label>');
    expect(hello).toMatch(/<label for="raw-\d+">Request JSON<\/label>/);
    expect(hello).toContain('<button type="submit">Call</button>');
    expect(hello).toContain('<button type="button" data-action="copy-curl">Copy as curl</button>');
    expect(hello).toContain('<button type="button" data-action="copy-micro">Copy as micro call</button>');
    expect(hello).toContain('role="alert"');
  });

  it("gives streams Start, Stop, and for bidi Send and End input", () => {
    const count = section(html, "Greeter.Count");
    expect(count).toContain('<span class="badge">server stream</span>');
    expect(count).toContain('data-stream="server"');
    expect(count).toContain('<button type="submit">Start stream</button>');
    expect(count).toContain('<button type="button" data-action="stop" disabled>Stop</button>');
    expect(count).not.toContain('data-action="send"');
    expect(count).toContain('role="log"');
    const upper = section(html, "Greeter.Upper");
    expect(upper).toContain('data-stream="bidi"');
    expect(upper).toMatch(/<label for="send-\d+">Message JSON<\/label>/);
    expect(upper).toContain('data-action="send" disabled>Send</button>');
    expect(upper).toContain('data-action="end" disabled>End input</button>');
  });

  it("lists subscribers apart, linking to their topic", () => {
    expect(html).toContain('<a href="/topics?topic=greeter.events">greeter.events</a>');
    expect(html).not.toMatch(/aria-label="Call [^"]*GreeterEvents/);
  });

  it("answers 404 with a page for an unknown service", async () => {
    const res = await page(`${mesh.url}/services/nobody`);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).toContain("<h1>Service not found</h1>");
    expect(body).toContain("<code>nobody</code>");
  });
});

describe("a go-micro service", () => {
  it("reads its stream kinds and leaves out the stream handles go-micro advertises", async () => {
    await mesh.registry.register(
      record("go.greeter", "127.0.0.1:2", {
        endpoints: [
          {
            name: "Greeter.Bidi",
            request: { name: "Context", type: "Context" },
            response: { name: "Stream", type: "Stream" },
            metadata: { stream: "true" },
          },
          {
            name: "Greeter.Watch",
            request: { name: "Request", type: "Request", values: [{ name: "id", type: "int64" }] },
            response: { name: "Stream", type: "Stream" },
            metadata: { stream: "true" },
          },
          {
            name: "Greeter.Hello",
            request: { name: "Request", type: "Request", values: [{ name: "ratio", type: "float64" }] },
            response: { name: "Response", type: "Response", values: [{ name: "msg", type: "string" }] },
            metadata: {},
          },
        ],
      }),
    );
    const html = await text("/services/go.greeter");
    expect(html).toContain("written in Go");
    const bidi = section(html, "Greeter.Bidi");
    expect(bidi).toContain('<span class="badge">bidirectional stream</span>');
    expect(bidi).toContain("Each message sent: not advertised.");
    expect(bidi).not.toContain("Context");
    const watch = section(html, "Greeter.Watch");
    expect(watch).toContain('<span class="badge">server stream</span>');
    expect(watch).toContain('data-kind="int64"');
    expect(watch).toContain("Each message received: not advertised.");
    expect(section(html, "Greeter.Hello")).toContain('type="number" step="any"');
  });
});

describe("escaping", () => {
  it("escapes every value from the registry on every page", async () => {
    const pages = [
      await text("/"),
      await text(`/services/${encodeURIComponent("evil.<b>svc</b>")}`),
      await text("/explorer"),
      await text("/topics"),
    ];
    for (const html of pages) {
      expect(html).not.toContain("<b>svc</b>");
      expect(html).not.toContain("<script>alert");
      expect(html).not.toContain("<img src=x");
    }
    const evil = pages[1]!;
    expect(evil).toContain("evil.&lt;b&gt;svc&lt;/b&gt;");
    expect(evil).toContain("&lt;script&gt;alert(&#39;svc&#39;)&lt;/script&gt;");
    expect(evil).toContain("&lt;script&gt;alert(3)&lt;/script&gt;");
    expect(evil).toContain("Evil.&lt;img src=x onerror=alert(1)&gt;");
    expect(evil).toContain("&lt;script&gt;f&lt;/script&gt;");
    expect(evil).toContain("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
    expect(pages[0]).toContain(
      '<a href="/services/evil.%3Cb%3Esvc%3C%2Fb%3E">evil.&lt;b&gt;svc&lt;/b&gt;</a>',
    );
  });
});

describe("topics and explorer", () => {
  it("lists subscribed topics and the publish and tail forms with labels", async () => {
    const html = await text("/topics?topic=greeter.events");
    expect(html).toContain("<caption>Topics services subscribe to</caption>");
    expect(html).toContain('<a href="/topics?topic=greeter.events">greeter.events</a>');
    expect(html).toContain('<label for="publish-topic">Topic</label>');
    expect(html).toContain('id="publish-topic" name="topic" required value="greeter.events"');
    expect(html).toContain('<label for="publish-body">Message JSON</label>');
    expect(html).toContain('<button type="submit">Publish</button>');
    expect(html).toContain('<label for="tail-topic">Topic to tail</label>');
    expect(html).toContain('<button type="submit">Subscribe</button>');
    expect(html).toContain('<button type="button" id="tail-stop" disabled>Stop</button>');
  });

  it("publishes through the mounted broker routes and delivers to subscribers", async () => {
    const controller = new AbortController();
    const sub = await fetch(`${mesh.url}/broker/dash.topic`, {
      headers: { Accept: "text/event-stream" },
      signal: controller.signal,
    });
    expect(sub.status).toBe(200);
    const reader = sub.body!.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    while (!seen.includes(": subscribed")) seen += decoder.decode((await reader.read()).value);
    const pub = await fetch(`${mesh.url}/broker/dash.topic`, { method: "POST", body: '{"hello":1}' });
    expect(await pub.json()).toEqual({ status: "ok", topic: "dash.topic" });
    while (!seen.includes('"body":{"hello":1}')) seen += decoder.decode((await reader.read()).value);
    controller.abort();
  });

  it("links the OpenAPI document and every service page", async () => {
    const html = await text("/explorer");
    expect(html).toContain("<h1>API explorer</h1>");
    expect(html).toContain('<a href="/openapi.json">/openapi.json</a>');
    expect(html).toContain('<div id="operations" data-openapi="/openapi.json"></div>');
    expect(html).toContain('<li><a href="/services/greeter">greeter</a></li>');
  });
});

describe("the gateway's routes next to the dashboard", () => {
  it("still calls, lists and documents", async () => {
    const call = await fetch(`${mesh.url}/api/greeter/Greeter.Hello`, {
      method: "POST",
      body: '{"name":"Ann"}',
    });
    expect(await call.json()).toEqual({ msg: "Hello Ann" });
    const list = (await (await fetch(`${mesh.url}/api`)).json()) as { name: string }[];
    expect(list.map((s) => s.name)).toContain("greeter");
    const doc = (await (await fetch(`${mesh.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toContain("/api/greeter/Greeter.Hello");
    expect((await fetch(`${mesh.url}/health`)).status).toBe(200);
  });
});

/** The endpoint's section of a service page. */
function section(html: string, endpoint: string): string {
  const start = html.indexOf(`>${endpoint}`);
  expect(start, endpoint).toBeGreaterThan(0);
  const from = html.lastIndexOf("<section", start);
  return html.slice(from, html.indexOf("</section>", start));
}
