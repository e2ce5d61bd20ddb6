import { describe, expect, it } from "vitest";
import {
  decodeEndpoints,
  decodeMetadata,
  decodePayload,
  decodeVersion,
  deregisterAfter,
  encodeTags,
  goDuration,
  registration,
  splitHostPort,
} from "../src/index.js";
import {
  DERIVED_TAGS,
  GO_ENDPOINT_JSON,
  GO_METADATA,
  GO_NODE_ID,
  GO_VERSION_TAGS,
  greeter,
} from "./vectors.js";

describe("tag encoding (go-micro's registry/consul/encoding.go)", () => {
  it("decodes the version tags Go produced", () => {
    expect(decodeVersion([GO_VERSION_TAGS["1.0.0"]])).toBe("1.0.0");
    expect(decodeVersion([GO_VERSION_TAGS.latest])).toBe("latest");
    expect(decodeVersion([DERIVED_TAGS.latest])).toBe("latest");
  });

  it("decodes the derived metadata and endpoint tags", () => {
    expect(decodeMetadata(DERIVED_TAGS.metadata)).toEqual(GO_METADATA);
    expect(decodePayload(DERIVED_TAGS.endpoint.slice(2))).toBe(GO_ENDPOINT_JSON);
    expect(decodeEndpoints([DERIVED_TAGS.endpoint])).toEqual(greeter.endpoints);
  });

  it("writes tags whose payloads equal Go's (metadata, endpoints, then the version)", () => {
    const tags = encodeTags(GO_METADATA, greeter.endpoints, "latest");
    expect(tags).toHaveLength(7);
    for (const t of tags) expect(t).toMatch(/^[tev]-789c[0-9a-f]+$/);
    const ours = tags.map((t) => decodePayload(t.slice(2)));
    const go = [...DERIVED_TAGS.metadata, DERIVED_TAGS.endpoint, DERIVED_TAGS.latest].map((t) =>
      decodePayload(t.slice(2)),
    );
    expect(ours).toEqual(go);
  });

  it("reads the legacy plain forms, and only the first form seen for t/e tags", () => {
    const plain = ['t={"a":"1"}', 'e={"name":"X.Y","metadata":null,"request":null,"response":null}', "v=2.0"];
    expect(decodeVersion(plain)).toBe("2.0");
    expect(decodeMetadata(plain)).toEqual({ a: "1" });
    expect(decodeEndpoints(plain)).toEqual([{ name: "X.Y", metadata: {} }]);
    // a hex tag after a plain one is ignored, as in Go
    expect(decodeMetadata(['t={"a":"1"}', DERIVED_TAGS.metadata[0]!])).toEqual({ a: "1" });
    expect(decodeMetadata([DERIVED_TAGS.metadata[0]!, 't={"a":"1"}'])).toEqual({ broker: "http" });
  });

  it("ignores foreign and damaged tags", () => {
    expect(decodeMetadata(["traefik.enable=true", "t-zz", "t-789c00", "primary"])).toEqual({});
    expect(decodeVersion(["primary", "canary"])).toBeUndefined();
    expect(decodeVersion(["v-nothex"])).toBe("");
  });
});

describe("Go durations", () => {
  it.each([
    [90_000, "1m30s"],
    [60_000, "1m0s"],
    [95_000, "1m35s"],
    [65_000, "1m5s"],
    [30_000, "30s"],
    [1_500, "1.5s"],
    [500, "500ms"],
    [0, "0s"],
    [3_600_000, "1h0m0s"],
    [3_725_250, "1h2m5.25s"],
  ])("%d ms -> %s", (ms, s) => expect(goDuration(ms)).toBe(s));

  it("deregisters critical services TTL + 5 s later, at least 1m5s", () => {
    expect(goDuration(deregisterAfter(90_000))).toBe("1m35s");
    expect(goDuration(deregisterAfter(60_000))).toBe("1m5s");
    expect(goDuration(deregisterAfter(5_000))).toBe("1m5s");
  });
});

describe("registration body", () => {
  it("is go-micro's AgentServiceRegistration", () => {
    const body = registration(greeter, 0, 90_000);
    expect(body).toMatchObject({
      ID: GO_NODE_ID,
      Name: "greeter",
      Address: "10.0.0.5",
      Port: 43521,
      Meta: GO_METADATA,
      Check: { TTL: "1m30s", DeregisterCriticalServiceAfter: "1m35s" },
    });
    expect(body.Tags.map((t) => t.slice(0, 2))).toEqual(["t-", "t-", "t-", "t-", "t-", "e-", "v-"]);
    expect(registration(greeter, 0, 0).Check).toBeUndefined();
  });

  it("leaves out Meta keys Consul would refuse, keeping them in the tags", () => {
    const s = {
      ...greeter,
      nodes: [{ ...greeter.nodes[0]!, metadata: { "a.b": "x", ok: "y", "consul-x": "z" } }],
    };
    const body = registration(s, 0, 0);
    expect(body.Meta).toEqual({ ok: "y" });
    expect(decodeMetadata(body.Tags)).toEqual({ "a.b": "x", ok: "y", "consul-x": "z" });
  });

  it("splits addresses like Go's net.SplitHostPort", () => {
    expect(splitHostPort("10.0.0.5:43521")).toEqual({ host: "10.0.0.5", port: 43521 });
    expect(splitHostPort("[::1]:8080")).toEqual({ host: "::1", port: 8080 });
    expect(splitHostPort("myhost")).toEqual({ host: "myhost", port: 0 });
  });
});
