// Raw mDNS sockets for tests, pinned to loopback: nothing is sent on a real interface and nothing
// binds 0.0.0.0.
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import type { Logger } from "@micro/core";
import dnsPacket, { type DecodedPacket, type Packet } from "dns-packet";

export const LOOPBACK = "127.0.0.1";
export const GROUP = "224.0.0.251";

export interface Received {
  packet: DecodedPacket;
  from: RemoteInfo;
}

export interface RawSocket {
  socket: Socket;
  received: Received[];
  send(packet: Packet, port?: number, address?: string): Promise<void>;
  waitFor(match: (r: Received) => boolean, timeout?: number): Promise<Received>;
  close(): Promise<void>;
}

async function wrap(socket: Socket): Promise<RawSocket> {
  const received: Received[] = [];
  socket.on("message", (buf, from) => {
    try {
      received.push({ packet: dnsPacket.decode(buf), from });
    } catch {
      // not DNS
    }
  });
  socket.setMulticastInterface(LOOPBACK);
  socket.setMulticastLoopback(true);
  return {
    socket,
    received,
    send: (packet, port = 5353, address = GROUP) =>
      new Promise((resolve, reject) =>
        socket.send(dnsPacket.encode(packet), port, address, (err) => (err ? reject(err) : resolve())),
      ),
    async waitFor(match, timeout = 3000) {
      const until = Date.now() + timeout;
      for (;;) {
        const hit = received.find(match);
        if (hit) return hit;
        if (Date.now() > until) throw new Error(`no matching packet within ${timeout} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** A socket on the group (port 5353, loopback membership): hears announcements and queries. */
export async function groupSocket(): Promise<RawSocket> {
  const socket = createSocket({ type: "udp4", reuseAddr: true });
  await new Promise<void>((resolve) => socket.bind(5353, GROUP, resolve));
  socket.addMembership(GROUP, LOOPBACK);
  return wrap(socket);
}

/** An ephemeral unicast socket on loopback, as Go's querier uses. */
export async function querySocket(): Promise<RawSocket> {
  const socket = createSocket({ type: "udp4" });
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
  return wrap(socket);
}

export interface SpyLogger extends Logger {
  warnings: string[];
}

export function spyLogger(): SpyLogger {
  const warnings: string[] = [];
  return {
    warnings,
    debug() {},
    info() {},
    warn: (m: string) => void warnings.push(m),
    error: (m: string) => void warnings.push(m),
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
