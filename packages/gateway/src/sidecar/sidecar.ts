// The sidecar: a gateway whose classic routes call services by their own names (`/{service}/{method}`,
// no namespace), plus /registry and /broker so a program in any language joins the mesh over plain
// HTTP; optionally it registers the program itself and watches its health (`program`). Calls to the
// program never pass through the sidecar: callers reach it directly, as go-micro's http transport
// is plain HTTP (see README-sidecar.md for the shape a program answers).
import type { Node } from "@micro/core";
import type { GatewayContext } from "../context.js";
import { Gateway } from "../gateway.js";
import { brokerRoute } from "./broker-routes.js";
import { NodeLeases } from "./leases.js";
import { resolveSidecar, type SidecarOptions, type SidecarSettings } from "./options.js";
import { ProgramRegistration } from "./program.js";
import { registryRoutes } from "./registry-routes.js";
import { SubscriberSockets } from "./sockets.js";
import { Subscribers } from "./subscribers.js";

interface SidecarParts {
  settings: SidecarSettings;
  subscribers: Subscribers;
  sockets: SubscriberSockets;
  leases: NodeLeases;
}

export class Sidecar extends Gateway {
  readonly #parts: SidecarParts;
  #program: ProgramRegistration | undefined;
  #starting: Promise<GatewayContext> | undefined;

  constructor(options: SidecarOptions, parts: SidecarParts) {
    super(options);
    this.#parts = parts;
  }

  /** The node the sidecar registers for the program (`program` mode), once init() has run. */
  get programNode(): Node | undefined {
    return this.#program?.service.nodes[0];
  }

  /** Broker subscriptions held open for HTTP clients right now. */
  get subscriptions(): number {
    return this.#parts.subscribers.size;
  }

  /** Builds the routes and, in program mode, makes the first registration round. */
  override init(): Promise<GatewayContext> {
    this.#starting ??= (async () => {
      const ctx = await super.init();
      const program = this.#parts.settings.program;
      if (program && !this.#program) {
        this.#program = new ProgramRegistration(ctx, program);
        await this.#program.start();
      }
      return ctx;
    })().catch((err) => {
      this.#starting = undefined;
      throw err;
    });
    return this.#starting;
  }

  /** Takes the program out of the registry and ends every subscription before the listener closes. */
  override async close(): Promise<void> {
    await this.#program?.stop();
    this.#parts.subscribers.closeAll();
    this.#parts.sockets.close();
    this.#parts.leases.close();
    await super.close();
  }
}

export function createSidecar(options: SidecarOptions = {}): Sidecar {
  const parts: SidecarParts = {
    settings: resolveSidecar(options),
    subscribers: new Subscribers(),
    sockets: new SubscriberSockets(),
    leases: new NodeLeases(),
  };
  const routes = [
    ...registryRoutes(parts.leases),
    brokerRoute("/broker/", parts),
    brokerRoute("/micro/broker/", parts),
    ...(options.routes ?? []),
  ];
  // the sidecar's own options are not the gateway's business
  const { program: _program, maxSubscriberBuffer: _max, eventsHeartbeat: _beat, ...gateway } = options;
  return new Sidecar({ namespace: "", ...gateway, routes }, parts);
}
