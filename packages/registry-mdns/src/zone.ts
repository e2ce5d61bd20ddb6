// The records one registered node serves, and which of them answer a question, as go-micro's mdns responder
// does (https://github.com/micro/go-micro/blob/v5.30.0/internal/util/mdns/zone.go): the same for a node (`N.S.micro.`) and a service's
// wildcard entry (`S._services.micro.`).
import { isIPv4, isIPv6 } from "node:net";
import type { Answer } from "dns-packet";
import { dnsSdName, sameName } from "./names.js";

export interface Instance {
  /** `N.S.micro.` (or `S._services.micro.` for the wildcard). */
  name: string;
  /** `S.micro.` (or `_services.micro.`): the PTR owner. */
  service: string;
  /** SRV target and A/AAAA owner: the host name. */
  host: string;
  ips: string[];
  port: number;
  txt: string[];
}

/** What the question asks, as read off the wire (type may be ANY, which dns-packet's types omit). */
export interface Ask {
  name: string;
  type: string;
}

export function serviceRecords(inst: Instance, ttl: number): Answer[] {
  return [{ name: inst.service, type: "PTR", class: "IN", ttl, data: inst.name }, ...anyRecords(inst, ttl)];
}

/** SRV, A, AAAA, TXT: what an announcement and a goodbye carry. */
export function anyRecords(inst: Instance, ttl: number): Answer[] {
  return [...srvRecords(inst, ttl), txtRecord(inst, ttl)];
}

function srvRecords(inst: Instance, ttl: number): Answer[] {
  const srv: Answer = {
    name: inst.name,
    type: "SRV",
    class: "IN",
    ttl,
    data: { priority: 10, weight: 1, port: inst.port, target: inst.host },
  };
  return [srv, ...addressRecords(inst, "A", ttl), ...addressRecords(inst, "AAAA", ttl)];
}

function addressRecords(inst: Instance, type: "A" | "AAAA", ttl: number): Answer[] {
  const fits = type === "A" ? isIPv4 : isIPv6;
  return inst.ips
    .filter((ip) => fits(ip))
    .map((ip) => ({ name: inst.host, type, class: "IN", ttl, data: ip }));
}

function txtRecord(inst: Instance, ttl: number): Answer {
  return { name: inst.name, type: "TXT", class: "IN", ttl, data: inst.txt };
}

/** The records of `inst` that answer `q`, in Go's order; empty when `inst` has nothing to say. */
export function answer(inst: Instance, q: Ask, ttl: number, domain: string): Answer[] {
  const type = q.type.toUpperCase();
  const anyOrPtr = type === "ANY" || type === "PTR";
  if (sameName(q.name, dnsSdName(domain))) {
    return anyOrPtr ? [{ name: q.name, type: "PTR", class: "IN", ttl, data: inst.service }] : [];
  }
  if (sameName(q.name, inst.service)) return anyOrPtr ? serviceRecords(inst, ttl) : [];
  if (sameName(q.name, inst.name)) {
    // Go answers PTR for an instance with nothing; its querier's follow-up questions use that
    // type, so answering them like ANY is what lets such a follow-up complete an entry.
    if (anyOrPtr) return anyRecords(inst, ttl);
    if (type === "SRV") return srvRecords(inst, ttl);
    if (type === "TXT") return [txtRecord(inst, ttl)];
    return [];
  }
  if (sameName(q.name, inst.host) && (type === "A" || type === "AAAA"))
    return addressRecords(inst, type, ttl);
  return [];
}
