import { silentLogger } from "@micro/core";
import { testTransport } from "@micro/testing/transport";
import { HttpTransport } from "../src/index.js";

testTransport("http", () => ({
  transport: new HttpTransport({ logger: silentLogger }),
  address: "127.0.0.1:0",
}));
