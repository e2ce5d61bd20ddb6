// go-micro's default registry: no server, every process answers for its own nodes over multicast
// DNS. Register starts answering (and announces), GetService asks the group and returns once the
// answers settle (at most `timeout`), ListServices likewise with a longer quiet period, Watch
// listens to announcements and goodbyes.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import {
  getLogger,
  type Logger,
  type Node,
  type RegisterOptions,
  type Registry,
  type Service,
  type Watcher,
  type WatchOptions,
} from "@micro/core";
import { advertiseHost, mergeByVersion, splitHostPort } from "@micro/core/plugin-kit";
import { instanceName, localHostName, serviceName, servicesName, stripSuffix } from "./names.js";
import { interfaceAddresses } from "./network.js";
import { entryService } from "./node.js";
import { query } from "./querier.js";
import { Responder } from "./responder.js";
import { LIST_SETTLE_MS, SETTLE_MS } from "./settle.js";
import { DnsSocket } from "./socket.js";
import { encodeTxt } from "./txt.js";
import { mdnsWatcher } from "./watcher.js";
import type { Instance } from "./zone.js";

export interface MdnsRegistryOptions {
  /**
   * IPv4 address (or name) of the one interface to use, e.g. "127.0.0.1" to keep everything on
   * this machine. Default: $MICRO_MDNS_INTERFACE, else every non-internal IPv4 interface (like Go).
   */
  interface?: string;
  /** DNS domain of the records (go-micro: "micro"). */
  domain?: string;
  /** How long getService/listServices collect answers, in ms (go-micro: 100). */
  timeout?: number;
  /** TTL of the records we serve, in seconds (go-micro: 120). */
  ttl?: number;
  logger?: Logger;
  /** SRV target host name; default the OS host name. */
  hostname?: string;
  /** When a new node is announced, in ms after registering (default 0, 1000, 2000). */
  announceAt?: number[];
}

interface LocalNode {
  instance: Instance;
  /** What was announced: a re-registration with the same records changes nothing. */
  signature: string;
  stopAnnouncing: () => void;
  expiry?: NodeJS.Timeout;
}

const MAX_LABEL = 63;

export class MdnsRegistry implements Registry {
  readonly name = "mdns";
  readonly #domain: string;
  readonly #timeout: number;
  readonly #ttl: number;
  readonly #logger: Logger;
  readonly #host: string;
  readonly #interfaceChoice: string | undefined;
  readonly #announceAt: number[] | undefined;
  #interfaces: string[] | undefined;
  // service name -> node id -> what we serve for it
  readonly #local = new Map<string, Map<string, LocalNode>>();
  readonly #watchers = new Set<Watcher>();
  #group: Promise<{ socket: DnsSocket; responder: Responder }> | undefined;

  constructor(options: MdnsRegistryOptions = {}) {
    this.#domain = (options.domain ?? "micro").replace(/^\.+|\.+$/g, "") || "micro";
    this.#timeout = options.timeout ?? 100;
    this.#ttl = options.ttl ?? 120;
    this.#logger = options.logger ?? getLogger();
    this.#host = options.hostname ? `${options.hostname.replace(/\.+$/, "")}.` : localHostName();
    this.#interfaceChoice = options.interface || process.env.MICRO_MDNS_INTERFACE || undefined;
    this.#announceAt = options.announceAt;
  }

  get domain(): string {
    return this.#domain;
  }

  #ifaces(): string[] {
    this.#interfaces ??= interfaceAddresses(this.#interfaceChoice);
    return this.#interfaces;
  }

  // The 5353 socket opens with the first registration or watch and serves until close; it holds the
  // process open only while nodes are registered here (a client's watch alone lets a script end).
  #open(): Promise<{ socket: DnsSocket; responder: Responder }> {
    if (!this.#group) {
      const opening = DnsSocket.open({
        interfaces: this.#ifaces(),
        logger: this.#logger,
        mode: "group",
      }).then((socket) => {
        socket.hold(this.#serving());
        const responder = new Responder(socket, () => this.#instances(), {
          domain: this.#domain,
          ttl: this.#ttl,
          logger: this.#logger,
          ...(this.#announceAt ? { announceAt: this.#announceAt } : {}),
        });
        return { socket, responder };
      });
      // A failed open (port taken, no interface) is retried by the next call instead of cached.
      opening.catch(() => {
        if (this.#group === opening) this.#group = undefined;
      });
      this.#group = opening;
    }
    return this.#group;
  }

  #serving(): boolean {
    for (const nodes of this.#local.values()) if (nodes.size) return true;
    return false;
  }

  *#instances(): Iterable<Instance> {
    for (const [name, nodes] of this.#local) {
      if (!nodes.size) continue;
      yield this.#wildcard(name);
      for (const n of nodes.values()) yield n.instance;
    }
  }

  // What ListServices finds: one per service, port 9999 and address 0.0.0.0 as Go serves it.
  #wildcard(service: string): Instance {
    return {
      name: instanceName(service, "_services", this.#domain),
      service: servicesName(this.#domain),
      host: this.#host,
      ips: ["0.0.0.0"],
      port: 9999,
      txt: [],
    };
  }

  async #instance(service: Service, node: Node): Promise<Instance> {
    if (!node.id) throw new TypeError(`register ${service.name}: node id is required`);
    const { host, port } = splitHostPort(node.address);
    // Go's words first; the rest says what to do about it
    if (!port) {
      throw new Error(
        `missing service port: mdns announces host:port addresses and "${node.address}" of ${service.name} is not one (transports addressed by name, like nats, need another registry, e.g. --registry=nats)`,
      );
    }
    const ip = await this.#ip(host);
    const name = instanceName(node.id, service.name, this.#domain);
    for (const label of name.slice(0, -1).split(".")) {
      if (!label || Buffer.byteLength(label) > MAX_LABEL) {
        throw new TypeError(
          `register ${service.name}: "${name}" is not a valid DNS name (labels of 1-63 bytes)`,
        );
      }
    }
    return {
      name,
      service: serviceName(service.name, this.#domain),
      host: this.#host,
      ips: [ip],
      port,
      txt: encodeTxt({
        service: service.name,
        version: service.version ?? "",
        endpoints: service.endpoints ?? [],
        metadata: node.metadata ?? {},
      }),
    };
  }

  // The A record carries the node's own host, so it must be an IP: wildcards become the address
  // go-micro would advertise, names are resolved once.
  async #ip(host: string): Promise<string> {
    if (!host || host === "0.0.0.0" || host === "::") return advertiseHost(host);
    if (isIP(host)) return host;
    return (await lookup(host, { family: 0, order: "ipv4first" })).address;
  }

  async register(service: Service, options: RegisterOptions = {}): Promise<void> {
    if (!service.name) throw new TypeError("register: service name is required");
    // Build every node before serving any, so a bad node leaves nothing half-registered.
    const instances = await Promise.all((service.nodes ?? []).map((n) => this.#instance(service, n)));
    const { socket, responder } = await this.#open();
    let nodes = this.#local.get(service.name);
    if (!nodes) {
      nodes = new Map();
      this.#local.set(service.name, nodes);
    }
    instances.forEach((instance, i) => {
      const id = service.nodes[i]!.id;
      const signature = JSON.stringify(instance);
      const prev = nodes.get(id);
      let local = prev;
      if (!prev || prev.signature !== signature) {
        prev?.stopAnnouncing();
        local = { instance, signature, stopAnnouncing: responder.announce(instance), expiry: prev?.expiry };
        nodes.set(id, local);
      }
      this.#expireAfter(service.name, id, local!, options.ttl);
    });
    socket.hold(this.#serving());
  }

  // go-micro's mdns ignores the TTL (records live until goodbye); honouring it means a process
  // that stops re-registering also stops answering for the node.
  #expireAfter(service: string, id: string, local: LocalNode, ttl: number | undefined): void {
    if (local.expiry) clearTimeout(local.expiry);
    local.expiry = undefined;
    if (!ttl || ttl <= 0) return;
    local.expiry = setTimeout(() => {
      this.#logger.debug(`mdns: ${service} node ${id} expired (not re-registered within ${ttl} ms)`);
      void this.#remove(service, id);
    }, ttl);
    local.expiry.unref();
  }

  async #remove(service: string, id: string): Promise<void> {
    const nodes = this.#local.get(service);
    const local = nodes?.get(id);
    if (!nodes || !local) return;
    nodes.delete(id);
    if (!nodes.size) this.#local.delete(service);
    local.stopAnnouncing();
    if (local.expiry) clearTimeout(local.expiry);
    const group = await this.#group?.catch(() => undefined);
    await group?.responder.goodbye(local.instance);
    group?.socket.hold(this.#serving());
  }

  async deregister(service: Service): Promise<void> {
    await Promise.all((service.nodes ?? []).map((n) => this.#remove(service.name, n.id)));
  }

  async getService(name: string): Promise<Service[]> {
    const entries = await query({
      name: serviceName(name, this.#domain),
      timeout: this.#timeout,
      settle: SETTLE_MS,
      interfaces: this.#ifaces(),
      logger: this.#logger,
    });
    const found: Service[] = [];
    for (const entry of entries) {
      try {
        const s = entryService(entry, this.#domain);
        if (s.name === name) found.push(s);
      } catch (err) {
        this.#logger.warn(`mdns: ignoring ${entry.name}: ${(err as Error).message}`);
      }
    }
    return mergeByVersion(found, { copy: false }); // just decoded: nobody else holds them
  }

  async listServices(): Promise<Service[]> {
    const suffix = servicesName(this.#domain);
    const entries = await query({
      name: suffix,
      timeout: this.#timeout,
      settle: LIST_SETTLE_MS,
      interfaces: this.#ifaces(),
      logger: this.#logger,
    });
    const names = new Set<string>();
    for (const e of entries) {
      const name = stripSuffix(e.name, suffix);
      if (name) names.add(name);
    }
    return [...names].sort().map((name) => ({ name, version: "", endpoints: [], nodes: [] }));
  }

  watch(options: WatchOptions = {}): Watcher {
    const watcher: Watcher = mdnsWatcher(
      this.#open().then((g) => g.socket),
      {
        domain: this.#domain,
        logger: this.#logger,
        ...(options.service ? { service: options.service } : {}),
        onStop: () => this.#watchers.delete(watcher),
      },
    );
    this.#watchers.add(watcher);
    return watcher;
  }

  /** Says goodbye for every node served here, stops watchers and releases the sockets. */
  async close(): Promise<void> {
    const goodbyes: Promise<void>[] = [];
    for (const [service, nodes] of this.#local)
      for (const id of nodes.keys()) goodbyes.push(this.#remove(service, id));
    await Promise.all(goodbyes);
    for (const w of [...this.#watchers]) w.stop();
    const group = await this.#group?.catch(() => undefined);
    this.#group = undefined;
    if (group) {
      group.responder.stop();
      await group.socket.close();
    }
  }
}
