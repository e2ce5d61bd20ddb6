// Turns the answer records of responses into service entries (one per instance name), the way Go's
// client does: PTR names an instance, SRV gives its port and host, A/AAAA of that host its address,
// TXT its payload. An entry counts once it has an address, a port and a TXT record.
import type { Answer } from "dns-packet";
import { fqdn } from "./names.js";

export interface Entry {
  /** Instance name, fully qualified: `N.S.micro.` */
  name: string;
  host?: string;
  port: number;
  v4?: string;
  v6?: string;
  txt?: Buffer[];
  /** Seconds; 0 means the records are being withdrawn (a goodbye). */
  ttl: number;
}

export const isComplete = (e: Entry): boolean => !!(e.v4 || e.v6) && e.port !== 0 && e.txt !== undefined;

/** Entries in progress, keyed by lower-cased instance name; may span several messages. */
export class EntryCollector {
  readonly #entries = new Map<string, Entry>();

  /** Folds one message's records in; returns the entries it touched. */
  add(records: readonly Answer[]): Entry[] {
    const touched = new Set<Entry>();
    const withSrv = new Set<Entry>();
    const hosts = new Map<string, { v4?: string; v6?: string }>();
    for (const r of records) {
      if (r.type !== "A" && r.type !== "AAAA") continue;
      const key = fqdn(r.name).toLowerCase();
      const h = hosts.get(key) ?? {};
      if (r.type === "A") h.v4 ??= r.data;
      else h.v6 ??= r.data;
      hosts.set(key, h);
    }
    for (const r of records) {
      switch (r.type) {
        case "PTR":
          touched.add(this.#entry(r.data));
          break;
        case "SRV": {
          const e = this.#entry(r.name);
          e.port = r.data.port;
          e.host = fqdn(r.data.target);
          e.ttl = r.ttl ?? 0;
          touched.add(e);
          withSrv.add(e);
          break;
        }
        case "TXT": {
          const e = this.#entry(r.name);
          const data = Array.isArray(r.data) ? r.data : [r.data];
          e.txt = data.map((d) => (typeof d === "string" ? Buffer.from(d) : d));
          e.ttl = r.ttl ?? 0;
          touched.add(e);
          break;
        }
      }
    }
    // Address records go to the entries whose SRV came in the same message (several nodes may share
    // a host name with different addresses), and to older entries still waiting for an address.
    for (const e of this.#entries.values()) {
      if (!e.host || (!withSrv.has(e) && (e.v4 || e.v6))) continue;
      const h = hosts.get(e.host.toLowerCase());
      if (!h) continue;
      if (h.v4) e.v4 = h.v4;
      if (h.v6) e.v6 = h.v6;
      touched.add(e);
    }
    return [...touched];
  }

  complete(): Entry[] {
    return [...this.#entries.values()].filter(isComplete);
  }

  #entry(name: string): Entry {
    const key = fqdn(name).toLowerCase();
    let e = this.#entries.get(key);
    if (!e) {
      e = { name: fqdn(name), port: 0, ttl: 0 };
      this.#entries.set(key, e);
    }
    return e;
  }
}
