// The mesh the browser tests look at, all on 127.0.0.1 and found over mdns (go-micro's default
// registry) kept on loopback: a TypeScript service with unary, server-stream, bidi and failing
// endpoints, interop's Go peer (a real go-micro v5.30 service, its own process), and the
// dashboard's gateways (one open, one behind a JWT check). The names are fixed: the screenshots
// show them.
import "@micro/defaults";
import { spawn } from "node:child_process";
import { type Context, createService, MicroError, type MicroService, type Service } from "@micro/core";
import { createJwtAuth, type Gateway } from "@micro/gateway";
import { MdnsRegistry } from "@micro/registry-mdns";
import { JsonLinesProcess, loopbackEnv, loopbackServiceOptions } from "@micro/testing/helpers";
import { createDashboard } from "../../../src/index.js";
import { GO_PEER } from "./prerequisites.js";

export const TS_SERVICE = "demo.greeter";
export const GO_SERVICE = "demo.greeter.go";
export const LATE_SERVICE = "demo.late";
export const TOPIC = "demo.events";
export const JWT_SECRET = "dashboard-browser-test-secret";

/** Every registry here is mdns on loopback, as separate processes would have it. */
export const mdns = () => new MdnsRegistry({ interface: "127.0.0.1" });

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });

/** What the TypeScript service saw, for the tests to check the far side of a click. */
export interface Observed {
  hello: number;
  /** Count streams running now (a stopped page must end its stream on the server too). */
  streamsOpen: number;
  events: unknown[];
}

export async function startTsService(registry: MdnsRegistry, observed: Observed): Promise<MicroService> {
  const svc = createService({
    name: TS_SERVICE,
    version: "1.4.0",
    metadata: { description: "Greets, counts and chats: the TypeScript half of the demo mesh" },
    ...loopbackServiceOptions(registry),
  });
  const str = (name: string) => ({ name, type: "string" });
  const int = (name: string) => ({ name, type: "int32" });
  svc.handle(
    "Greeter",
    {
      async hello(_ctx: Context, req: { name?: string; loud?: boolean }) {
        observed.hello++;
        const msg = `Hello ${req.name ?? "stranger"}`;
        return { msg: req.loud ? msg.toUpperCase() : msg };
      },
      async fail(_ctx: Context, req: { order?: string }) {
        throw MicroError.notFound(TS_SERVICE, `no order "${req.order ?? ""}": it was never placed`);
      },
      async *count(ctx: Context, req: { to?: number; everyMs?: number }) {
        observed.streamsOpen++;
        try {
          for (let n = 1; n <= (req.to ?? 3) && !ctx.signal.aborted; n++) {
            await wait(req.everyMs ?? 100, ctx.signal);
            if (!ctx.signal.aborted) yield { n, of: req.to ?? 3 };
          }
        } finally {
          observed.streamsOpen--;
        }
      },
      async *chat(_ctx: Context, inbound: AsyncIterable<{ say?: string }>) {
        for await (const m of inbound) yield { reply: (m.say ?? "").toUpperCase() };
      },
    },
    {
      endpoints: {
        hello: {
          request: {
            name: "HelloRequest",
            type: "HelloRequest",
            values: [str("name"), { name: "loud", type: "bool" }],
          },
          response: { name: "HelloReply", type: "HelloReply", values: [str("msg")] },
          metadata: { description: "Says hello" },
        },
        fail: {
          request: { name: "FailRequest", type: "FailRequest", values: [str("order")] },
          response: { name: "FailReply", type: "FailReply", values: [] },
          metadata: { description: "Always fails with a 404" },
        },
        count: {
          request: { name: "CountRequest", type: "CountRequest", values: [int("to"), int("everyMs")] },
          response: { name: "CountReply", type: "CountReply", values: [int("n"), int("of")] },
          metadata: { description: "Counts to `to`, one message every `everyMs` ms" },
        },
        chat: {
          stream: "bidi",
          request: { name: "ChatMessage", type: "ChatMessage", values: [str("say")] },
          response: { name: "ChatReply", type: "ChatReply", values: [str("reply")] },
          metadata: { description: "Answers each message in capitals" },
        },
      },
    },
  );
  svc.subscribe(TOPIC, async (_ctx: Context, event: unknown) => {
    observed.events.push(event);
  });
  await svc.start();
  return svc;
}

/**
 * A service that registers while a page watches, and leaves: its record, written through a registry
 * of its own as a program registering through the sidecar would. (Not a second service started and
 * stopped in this process: stopping one disconnects the process's shared memory broker once too
 * often, which drops every other service's subscriptions.)
 */
export const lateRecord: Service = {
  name: LATE_SERVICE,
  version: "0.1.0",
  metadata: {},
  endpoints: [],
  nodes: [{ id: `${LATE_SERVICE}-1`, address: "127.0.0.1:9", metadata: {} }],
};

export interface Dashboard {
  gateway: Gateway;
  client: MicroService;
  url: string;
}

/** A dashboard gateway on a client-only service of its own; `auth` puts it behind the JWT check. */
export async function startDashboard(registry: MdnsRegistry, auth = false): Promise<Dashboard> {
  const client = createService({
    name: auth ? "demo.dashboard.auth" : "demo.dashboard",
    ...loopbackServiceOptions(registry),
  });
  const gateway = createDashboard({
    service: client,
    address: "127.0.0.1:0",
    ...(auth ? { auth: createJwtAuth({ secret: JWT_SECRET }) } : {}),
    dashboard: { eventsDebounce: 50 },
  });
  const url = `http://${await gateway.listen()}`;
  return { gateway, client, url };
}

/** interop's Go peer (`peer server`), ready once it has registered; stop() sends SIGTERM (it deregisters). */
export async function startGoPeer(): Promise<JsonLinesProcess> {
  const proc = spawn(GO_PEER, ["server", "--name", GO_SERVICE, "--topic", "demo.events.go"], {
    env: loopbackEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const peer = new JsonLinesProcess(proc, { name: "go peer", timeoutMs: 20_000, graceMs: 3000 });
  // a worker that dies before afterAll must not leave the peer in the registry
  const kill = () => proc.kill("SIGKILL");
  process.once("exit", kill);
  void peer.exited.then(() => process.off("exit", kill));
  await peer.until(() => peer.lines.some((l) => (l as { ready?: boolean }).ready === true), "ready");
  return peer;
}
