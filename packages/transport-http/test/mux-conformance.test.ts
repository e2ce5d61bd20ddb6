// The conformance suite over the multiplexed path: every dial is a socket on one shared connection
// (dialMux), so the suite's socket semantics (EOF both ways, ordering, independence) hold there too.
import { type DialOptions, type Socket, silentLogger, type Transport } from "@micro/core";
import { testTransport } from "@micro/testing/transport";
import { HttpTransport } from "../src/index.js";

testTransport("http mux", () => {
  const http = new HttpTransport({ logger: silentLogger });
  const transport: Transport = {
    name: "http-mux",
    listen: (address, options) => http.listen(address, options),
    dial: (address: string, options?: DialOptions): Promise<Socket> => http.dialMux(address, options),
    close: () => http.close(),
  };
  return { transport, address: "127.0.0.1:0" };
});
