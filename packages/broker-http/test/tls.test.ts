import { type BrokerEvent, silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { afterEach, describe, expect, it } from "vitest";
import { HttpBroker } from "../src/http-broker.js";
import { selfSignedCert, text, waitFor } from "./helpers.js";

const cert = selfSignedCert();
const brokers: HttpBroker[] = [];
afterEach(async () => {
  for (const b of brokers.splice(0)) await b.disconnect();
});

function broker(registry: MemoryRegistry, tls?: ConstructorParameters<typeof HttpBroker>[0]["tls"]) {
  const b = new HttpBroker({ registry, logger: silentLogger, tls, retries: 0 });
  brokers.push(b);
  return b;
}

describe("tls", () => {
  it("serves https, registers secure=true, and is reached over https", async () => {
    const registry = new MemoryRegistry();
    const sub = broker(registry, cert);
    await sub.connect();
    const got: BrokerEvent[] = [];
    await sub.subscribe("secure", (e) => void got.push(e));
    const [svc] = await registry.getService("micro.http.broker");
    expect(svc!.nodes[0]!.metadata.secure).toBe("true");
    // a publisher without TLS settings skips verification, like go-micro's default
    await broker(registry).publish("secure", { header: {}, body: text("over tls") });
    expect(got.map((e) => new TextDecoder().decode(e.message.body))).toEqual(["over tls"]);
  });

  it("verifies the subscriber's certificate when asked to", async () => {
    const registry = new MemoryRegistry();
    const sub = broker(registry, cert);
    await sub.connect();
    const got: BrokerEvent[] = [];
    await sub.subscribe("verified", (e) => void got.push(e));
    await broker(registry, { ca: cert.cert, insecureSkipVerify: false }).publish("verified", {
      header: {},
      body: text("trusted"),
    });
    expect(got).toHaveLength(1);
    // a publisher that verifies against another CA refuses to hand the message over
    const other = selfSignedCert();
    await broker(registry, { ca: other.cert, insecureSkipVerify: false }).publish("verified", {
      header: {},
      body: text("untrusted"),
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(1);
  });

  it("delivers between two https brokers", async () => {
    const registry = new MemoryRegistry();
    const [a, b] = [broker(registry, cert), broker(registry, cert)];
    await a.connect();
    await b.connect();
    const got: string[] = [];
    await a.subscribe("both", (e) => void got.push(new TextDecoder().decode(e.message.body)));
    await b.publish("both", { header: {}, body: text("x") });
    await waitFor(() => got.length === 1);
  });
});
