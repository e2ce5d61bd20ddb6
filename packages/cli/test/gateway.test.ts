// `micro api` and `micro server` as a user runs them: flags checked before anything listens, then a
// real gateway process in front of a real service process found over mdns on loopback.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { cleanEnv, expectOneLineError, Micro, micro } from "./helpers.js";

const here = dirname(fileURLToPath(import.meta.url));
const env = cleanEnv({ MICRO_MDNS_INTERFACE: "127.0.0.1", MICRO_BROKER_ADDRESS: "127.0.0.1:0" });

describe("micro api: bad flags", () => {
  it("refuses a bad handler, size, address or half a TLS pair with a one-line error", async () => {
    const cases: [string[], RegExp][] = [
      [["api", "--handler", "grpc"], /--handler must be one of rpc, api, http, proxy, event, web/],
      [["api", "--max-body", "lots"], /--max-body wants a size/],
      [["api", "--tls-cert-file", "/x.pem"], /--tls-cert-file and --tls-key-file go together/],
      [["api", "--address", "127.0.0.1:99999"], /port must be 0-65535/],
      [["api", "--adress", ":8080"], /unknown flag --adress/],
    ];
    for (const [args, message] of cases) {
      const r = await micro(args, env);
      expect(r.code, args.join(" ")).not.toBe(0);
      expect(expectOneLineError(r)).toMatch(message);
    }
  });

  it("lists api, server and web in --help", async () => {
    const r = await micro(["--help"], env);
    expect(r.stdout).toMatch(/^ {2}api /m);
    expect(r.stdout).toMatch(/^ {2}server /m);
    expect(r.stdout).toMatch(/^ {2}web /m);
  });
});

describe("micro api in front of a service process", () => {
  const name = `cli-gw-${process.pid}`;
  let service: ReturnType<typeof spawn>;
  let gateway: Micro;
  let url: string;

  beforeAll(async () => {
    service = spawn(process.execPath, [join(here, "support", "hello-service.mjs"), name], {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve) =>
      createInterface({ input: service.stdout! }).once("line", () => resolve()),
    );
    gateway = new Micro(["api", "--address", "127.0.0.1:0", "--timeout", "5s"], env);
    await gateway.waitFor(/listening on (\S+)/);
    url = /listening on (\S+)/.exec(gateway.stderr)![1]!;
  }, 30_000);

  afterAll(async () => {
    await gateway?.stop("SIGINT");
    service?.kill("SIGTERM");
    if (service && service.exitCode === null) await once(service, "exit");
  });

  it("calls through /api, the v5 path and POST /rpc", async () => {
    const a = await fetch(`${url}/api/${name}/Hello.Call`, { method: "POST", body: '{"name":"cli"}' });
    expect(a.status).toBe(200);
    expect(await a.json()).toEqual({ msg: "Hello cli" });
    const b = await fetch(`${url}/${name}/Hello.Call`, { method: "POST", body: '{"name":"v5"}' });
    expect(await b.json()).toEqual({ msg: "Hello v5" });
    const c = await fetch(`${url}/rpc`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ service: name, endpoint: "Hello.Call", request: { name: "rpc" } }),
    });
    expect(await c.json()).toEqual({ msg: "Hello rpc" });
  });

  it("streams over WebSocket", async () => {
    const ws = new WebSocket(`${url.replace("http", "ws")}/api/${name}/Hello.Count`);
    const got: unknown[] = [];
    ws.on("message", (d) => got.push(JSON.parse(d.toString())));
    await once(ws, "open");
    ws.send('{"to":3}');
    const [code] = await once(ws, "close");
    expect(code).toBe(1000);
    expect(got).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  });

  it("stops on Ctrl-C with exit code 0", async () => {
    expect(await gateway.stop("SIGINT")).toBe(0);
  });
});

describe("micro server and micro web: the dashboard", () => {
  const name = `cli-dash-${process.pid}`;
  const app = `webapp${process.pid}`;
  const children: ReturnType<typeof spawn>[] = [];
  const gateways: Micro[] = [];

  const start = async (script: string, arg: string) => {
    const child = spawn(process.execPath, [join(here, "support", script), arg], {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    await new Promise<void>((resolve) =>
      createInterface({ input: child.stdout! }).once("line", () => resolve()),
    );
  };
  const serve = async (args: string[]) => {
    const m = new Micro([...args, "--address", "127.0.0.1:0"], env);
    gateways.push(m);
    await m.waitFor(/listening on (\S+)/);
    return /listening on (\S+)/.exec(m.stderr)![1]!;
  };
  /** The page once it shows `text` (mdns takes a moment to find a new service). */
  const pageWith = async (url: string, text: string) => {
    let html = "";
    for (let i = 0; i < 100 && !html.includes(text); i++) {
      if (i) await sleep(100);
      const res = await fetch(url, { headers: { Accept: "text/html" } });
      expect(res.status).toBe(200);
      html = await res.text();
    }
    return html;
  };

  beforeAll(async () => {
    await start("hello-service.mjs", name);
    await start("web-app.mjs", app);
  }, 30_000);

  afterAll(async () => {
    for (const g of gateways) await g.stop("SIGINT");
    for (const c of children) {
      c.kill("SIGTERM");
      if (c.exitCode === null) await once(c, "exit");
    }
  });

  it("micro server serves the dashboard next to /api and /openapi.json", async () => {
    const url = await serve(["server"]);
    const home = await pageWith(`${url}/`, name);
    expect(home).toContain("<h1>Services</h1>");
    expect(home).toContain(`<a href="/services/${name}">${name}</a>`);
    const svc = await pageWith(`${url}/services/${name}`, "Hello.Call");
    expect(svc).toContain(`aria-label="Call Hello.Call"`);
    const call = await fetch(`${url}/api/${name}/Hello.Call`, { method: "POST", body: '{"name":"dash"}' });
    expect(await call.json()).toEqual({ msg: "Hello dash" });
    expect((await fetch(`${url}/openapi.json`)).status).toBe(200);
  });

  it("micro web serves the dashboard and proxies /{service}/ to go.micro.web services", async () => {
    const url = await serve(["web"]);
    expect(await pageWith(`${url}/`, `go.micro.web.${app}`)).toContain(`<a href="/${app}/">/${app}/</a>`);
    const res = await fetch(`${url}/${app}/cart?id=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ url: "/cart?id=1", base: `/${app}` });
    const call = await fetch(`${url}/api/${name}/Hello.Call`, { method: "POST", body: '{"name":"web"}' });
    expect(await call.json()).toEqual({ msg: "Hello web" });
  });
});

describe("micro sidecar registers a Python program (program mode, mdns)", () => {
  const name = `py-cli-${process.pid}`;
  const script = join(here, "..", "..", "gateway", "test", "python", "service.py");
  const hasPython = spawnSync("python3", ["--version"]).status === 0;
  let py: ReturnType<typeof spawn>;
  let sidecar: Micro;

  afterAll(async () => {
    await sidecar?.stop("SIGINT");
    py?.kill("SIGTERM");
  });

  it.skipIf(!hasPython && !process.env.CI)(
    "is called by micro call, leaves while unhealthy, returns when healthy",
    async () => {
      expect(hasPython, "python3 is required under CI").toBe(true);
      py = spawn("python3", [script, "--name", name], { stdio: ["pipe", "pipe", "inherit"] });
      const ready = JSON.parse(
        await new Promise<string>((resolve) => createInterface({ input: py.stdout! }).once("line", resolve)),
      ) as { address: string };
      sidecar = new Micro(
        [
          "sidecar",
          "--address",
          "127.0.0.1:0",
          "--server_name",
          name,
          "--server_address",
          ready.address,
          "--healthcheck_url",
          `http://${ready.address}/health`,
          "--register_interval",
          "1",
          "--register_ttl",
          "3",
        ],
        env,
      );
      await sidecar.waitFor(/listening on/);
      const call = () => micro(["call", name, "Greeter.Hello", '{"name":"cli"}'], env);
      const deadline = Date.now() + 15_000;
      let r = await call();
      while (r.code !== 0 && Date.now() < deadline) r = await call();
      expect(JSON.parse(r.stdout)).toEqual({ msg: "Hello cli from python" });
      // the health check fails: the sidecar deregisters the program
      py.stdin!.write("unhealthy\n");
      const services = async () => (await micro(["services", "--output", "json"], env)).stdout;
      while (Date.now() < deadline + 15_000 && (await services()).includes(name)) await sleep(300);
      expect(await services()).not.toContain(name);
      py.stdin!.write("healthy\n");
      while (Date.now() < deadline + 30_000 && !(await services()).includes(name)) await sleep(300);
      expect(await services()).toContain(name);
    },
    60_000,
  );
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
