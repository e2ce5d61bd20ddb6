// The shared transport conformance suite against a real nats-server. Bodies travel base64 in a JSON
// envelope under the server's max_payload (1 MiB by default), so the large-body test uses 512 KiB.
// Addresses are subjects, as in go-micro, so the suite's host:port checks do not apply.
import { describeWithServer } from "@micro/testing/servers";
import { testTransport } from "@micro/testing/transport";
import { transport } from "./helpers.js";

describeWithServer("nats", "NatsTransport against nats-server", () => {
  testTransport("nats", () => ({ transport: transport(), address: ":0" }), {
    largeBody: 512 * 1024,
    addresses: "opaque",
  });
});
