// From a complete entry to the registry's shape: node id from the instance name, address from the
// A/AAAA record and SRV port, the rest from the TXT payload.
import type { Service } from "@micro/core";
import { joinHostPort } from "@micro/core/plugin-kit";
import type { Entry } from "./entries.js";
import { serviceName, stripSuffix } from "./names.js";
import { decodeTxt } from "./txt.js";

/** One service holding the entry's node; throws when the TXT does not decode or names disagree. */
export function entryService(entry: Entry, domain: string): Service {
  const txt = decodeTxt(entry.txt ?? []);
  const id = stripSuffix(entry.name, serviceName(txt.service, domain));
  if (!id) throw new TypeError(`instance ${entry.name} is not a node of ${serviceName(txt.service, domain)}`);
  const host = entry.v4 ?? entry.v6;
  if (!host) throw new TypeError(`instance ${entry.name} has no address`);
  return {
    name: txt.service,
    version: txt.version,
    endpoints: txt.endpoints,
    nodes: [{ id, address: joinHostPort(host, entry.port), metadata: txt.metadata }],
  };
}
