import { describe, expect, it } from "vitest";
import { EntryCollector } from "../src/entries.js";
import { entryService } from "../src/node.js";
import { answer, anyRecords, type Instance } from "../src/zone.js";
import { GREETER, GREETER_TXT_STRINGS } from "./vectors.js";

// The greeter node on host "myhost." at 10.0.0.5:43521, and its service's wildcard entry.
const node: Instance = {
  name: "greeter-6f1c2b0e-1d2a-4c4e-9a53-3f0d2b1c9e11.greeter.micro.",
  service: "greeter.micro.",
  host: "myhost.",
  ips: ["10.0.0.5"],
  port: 43521,
  txt: GREETER_TXT_STRINGS,
};
const wildcard: Instance = {
  name: "greeter._services.micro.",
  service: "_services.micro.",
  host: "myhost.",
  ips: ["0.0.0.0"],
  port: 9999,
  txt: [],
};

describe("zone", () => {
  it("answers a PTR question for the service with PTR, SRV, A, TXT, as Go does", () => {
    expect(answer(node, { name: "greeter.micro", type: "PTR" }, 120, "micro")).toEqual([
      { name: "greeter.micro.", type: "PTR", class: "IN", ttl: 120, data: node.name },
      {
        name: node.name,
        type: "SRV",
        class: "IN",
        ttl: 120,
        data: { priority: 10, weight: 1, port: 43521, target: "myhost." },
      },
      { name: "myhost.", type: "A", class: "IN", ttl: 120, data: "10.0.0.5" },
      { name: node.name, type: "TXT", class: "IN", ttl: 120, data: GREETER_TXT_STRINGS },
    ]);
    expect(answer(node, { name: "GREETER.micro.", type: "ANY" }, 120, "micro")).toHaveLength(4);
  });

  it("answers the wildcard for _services (SRV port 9999, A 0.0.0.0, empty TXT), as Go does", () => {
    expect(answer(wildcard, { name: "_services.micro", type: "PTR" }, 120, "micro")).toEqual([
      { name: "_services.micro.", type: "PTR", class: "IN", ttl: 120, data: "greeter._services.micro." },
      {
        name: "greeter._services.micro.",
        type: "SRV",
        class: "IN",
        ttl: 120,
        data: { priority: 10, weight: 1, port: 9999, target: "myhost." },
      },
      { name: "myhost.", type: "A", class: "IN", ttl: 120, data: "0.0.0.0" },
      { name: "greeter._services.micro.", type: "TXT", class: "IN", ttl: 120, data: [] },
    ]);
  });

  it("answers instance, host and DNS-SD questions like Go, and nothing else", () => {
    const types = (q: { name: string; type: string }) => answer(node, q, 120, "micro").map((r) => r.type);
    expect(types({ name: node.name, type: "ANY" })).toEqual(["SRV", "A", "TXT"]);
    expect(types({ name: node.name, type: "SRV" })).toEqual(["SRV", "A"]);
    expect(types({ name: node.name, type: "TXT" })).toEqual(["TXT"]);
    expect(types({ name: "myhost.", type: "A" })).toEqual(["A"]);
    expect(types({ name: "myhost.", type: "AAAA" })).toEqual([]);
    expect(answer(node, { name: "_services._dns-sd._udp.micro.", type: "PTR" }, 120, "micro")).toEqual([
      { name: "_services._dns-sd._udp.micro.", type: "PTR", class: "IN", ttl: 120, data: "greeter.micro." },
    ]);
    expect(types({ name: "other.micro.", type: "PTR" })).toEqual([]);
    expect(types({ name: "greeter.local.", type: "PTR" })).toEqual([]);
    expect(types({ name: "greeter.micro.", type: "A" })).toEqual([]);
  });

  it("serves AAAA for an IPv6 node", () => {
    const v6 = { ...node, ips: ["fd00::5"] };
    expect(anyRecords(v6, 120).map((r) => [r.type, r.name])).toEqual([
      ["SRV", node.name],
      ["AAAA", "myhost."],
      ["TXT", node.name],
    ]);
  });

  it("turns its own answer back into the greeter node", () => {
    const records = answer(node, { name: "greeter.micro.", type: "PTR" }, 120, "micro").map((r) =>
      // as dns-packet decodes them: names without the final dot, TXT strings as Buffers
      ({
        ...r,
        name: r.name.slice(0, -1),
        ...(r.type === "TXT" ? { data: GREETER_TXT_STRINGS.map((s) => Buffer.from(s)) } : {}),
      }),
    );
    const c = new EntryCollector();
    c.add(records as never);
    const [entry] = c.complete();
    expect(entry!.ttl).toBe(120);
    expect(entryService(entry!, "micro")).toEqual(GREETER);
  });

  it("keeps the addresses of nodes sharing a host name apart", () => {
    const a = { ...node, name: "a.greeter.micro.", ips: ["10.0.0.1"], port: 1 };
    const b = { ...node, name: "b.greeter.micro.", ips: ["10.0.0.2"], port: 2 };
    const c = new EntryCollector();
    c.add(answer(a, { name: "greeter.micro.", type: "PTR" }, 120, "micro"));
    c.add(answer(b, { name: "greeter.micro.", type: "PTR" }, 120, "micro"));
    expect(c.complete().map((e) => [e.name, e.v4, e.port])).toEqual([
      ["a.greeter.micro.", "10.0.0.1", 1],
      ["b.greeter.micro.", "10.0.0.2", 2],
    ]);
  });
});
