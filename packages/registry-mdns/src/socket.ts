// UDP sockets speaking DNS: the shared 5353 group socket (queries in, announcements out) and the
// querier's ephemeral socket. Packets that do not parse are dropped here, never thrown.
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import type { Logger } from "@micro/core";
import dnsPacket, { type DecodedPacket, type Packet } from "dns-packet";
import { groupBindAddress, MDNS_GROUP, MDNS_PORT } from "./network.js";
import { decodePacket } from "./packet.js";

export type PacketListener = (packet: DecodedPacket, from: RemoteInfo) => void;

export interface DnsSocketOptions {
  /** IPv4 addresses of the interfaces to send multicast on (and to join the group on). */
  interfaces: string[];
  logger: Logger;
  /** Join the group on 5353 (responders, watchers) or bind an ephemeral port (queriers). */
  mode: "group" | "ephemeral";
  /** Address of the ephemeral socket; defaults to the only interface, else any. */
  bindAddress?: string;
}

export class DnsSocket {
  readonly #socket: Socket;
  readonly #interfaces: string[];
  readonly #logger: Logger;
  readonly #listeners = new Set<PacketListener>();
  // Multicast sends switch the socket's outgoing interface; one send at a time keeps each packet on
  // the interface chosen for it.
  #sending: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(socket: Socket, options: DnsSocketOptions) {
    this.#socket = socket;
    this.#interfaces = options.interfaces;
    this.#logger = options.logger;
    socket.on("message", (buf, from) => this.#receive(buf, from));
    socket.on("error", (err) => this.#logger.warn(`mdns: socket error: ${err.message}`));
  }

  static async open(options: DnsSocketOptions): Promise<DnsSocket> {
    const socket = createSocket({ type: "udp4", reuseAddr: options.mode === "group" });
    const group = options.mode === "group";
    const address = group
      ? groupBindAddress()
      : (options.bindAddress ?? (options.interfaces.length === 1 ? options.interfaces[0] : "0.0.0.0"));
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) => reject(err);
      socket.once("error", fail);
      socket.bind({ port: group ? MDNS_PORT : 0, address, exclusive: false }, () => {
        socket.off("error", fail);
        resolve();
      });
    }).catch((err: Error) => {
      socket.close();
      throw new Error(`mdns: cannot bind ${address}:${group ? MDNS_PORT : 0}: ${err.message}`);
    });
    socket.setMulticastTTL(255);
    socket.setMulticastLoopback(true); // other registries on this host must hear us
    if (group) {
      let joined = 0;
      for (const iface of options.interfaces) {
        try {
          socket.addMembership(MDNS_GROUP, iface);
          joined++;
        } catch (err) {
          options.logger.warn(`mdns: cannot join ${MDNS_GROUP} on ${iface}: ${(err as Error).message}`);
        }
      }
      if (!joined) {
        socket.close();
        throw new Error(`mdns: could not join ${MDNS_GROUP} on any of ${options.interfaces.join(", ")}`);
      }
    }
    if (options.interfaces[0]) socket.setMulticastInterface(options.interfaces[0]);
    return new DnsSocket(socket, options);
  }

  get port(): number {
    return this.#socket.address().port;
  }

  /**
   * Whether the socket keeps the process alive. A responder must (it answers for this process's
   * nodes); a socket only listening for a watch must not keep a finished script running.
   */
  hold(hold: boolean): void {
    if (this.#closed) return;
    if (hold) this.#socket.ref();
    else this.#socket.unref();
  }

  onPacket(listener: PacketListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sends to the group on every interface. Never rejects: failures are logged. */
  multicast(packet: Packet): Promise<void> {
    const buf = this.#encode(packet);
    if (!buf) return Promise.resolve();
    const run = this.#sending.then(async () => {
      for (const iface of this.#interfaces) {
        if (this.#closed) return;
        if (this.#interfaces.length > 1) this.#socket.setMulticastInterface(iface);
        await this.#send(buf, MDNS_PORT, MDNS_GROUP).catch((err: Error) =>
          this.#logger.warn(`mdns: multicast on ${iface} failed: ${err.message}`),
        );
      }
    });
    this.#sending = run;
    return run;
  }

  /** Never rejects: failures are logged. */
  unicast(packet: Packet, address: string, port: number): Promise<void> {
    const buf = this.#encode(packet);
    if (!buf) return Promise.resolve();
    return this.#send(buf, port, address).catch((err: Error) =>
      this.#logger.warn(`mdns: reply to ${address}:${port} failed: ${err.message}`),
    );
  }

  #encode(packet: Packet): Buffer | undefined {
    try {
      return dnsPacket.encode(packet);
    } catch (err) {
      this.#logger.warn(`mdns: cannot encode a packet: ${(err as Error).message}`);
      return undefined;
    }
  }

  #send(buf: Buffer, port: number, address: string): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve, reject) =>
      this.#socket.send(buf, port, address, (err) => (err ? reject(err) : resolve())),
    );
  }

  #receive(buf: Buffer, from: RemoteInfo): void {
    let packet: DecodedPacket;
    try {
      packet = decodePacket(buf);
    } catch (err) {
      this.#logger.debug(
        `mdns: dropped an unreadable packet from ${from.address}: ${(err as Error).message}`,
      );
      return;
    }
    for (const listener of this.#listeners) {
      try {
        listener(packet, from);
      } catch (err) {
        this.#logger.warn(`mdns: handling a packet from ${from.address}: ${(err as Error).message}`);
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#sending.catch(() => {});
    this.#closed = true;
    this.#listeners.clear();
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }
}
