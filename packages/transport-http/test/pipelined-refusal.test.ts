// Good requests followed by garbage in the same packet: Go's server reads and answers one request at
// a time, so it answers the good ones and only then refuses the garbage (400) and closes. Ours
// answers them too, then writes its go-micro 400 and closes.
import { MicroError } from "@micro/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  answerEach,
  cleanup,
  gotReply,
  listenHttp,
  rawConnect,
  refusalBytes,
  rejection,
  sleep,
  untext,
} from "./helpers.js";

afterEach(cleanup);

const req = (body: string) => `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const garbage = new MicroError(
  "go.micro.transport",
  'malformed frame: malformed HTTP request "GARBAGE"',
  400,
);

describe("pipelined requests, then garbage", () => {
  it("answers the requests before the garbage, then refuses it with a 400 and closes", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write(`${req("a") + req("bb")}GARBAGE\r\n\r\n`);
    const served = answerEach(await next());
    await raw.closed();
    expect(raw.received.toString("latin1")).toBe(gotReply(1) + gotReply(2) + refusalBytes(garbage));
    expect(await served).toMatchObject({ code: 400, detail: garbage.detail });
  });

  it("waits for slow answers: the 400 still comes after them", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write(`${req("a") + req("bb") + req("ccc")}GARBAGE\r\n\r\n`);
    void answerEach(await next(), 50);
    await raw.closed();
    expect(raw.received.toString("latin1")).toBe(
      gotReply(1) + gotReply(2) + gotReply(3) + refusalBytes(garbage),
    );
  });

  it("an owner that closes without answering: the 400 goes out at its close", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write(`${req("a")}GARBAGE\r\n\r\n`);
    const server = await next();
    expect(untext((await server.recv()).body)).toBe("a");
    expect(await rejection(server.recv())).toMatchObject({ code: 400 });
    await sleep(50);
    expect(raw.received.length).toBe(0);
    await server.close();
    await raw.closed();
    expect(raw.received.toString("latin1")).toBe(refusalBytes(garbage));
  });

  it("garbage in a later packet, after everything was answered: refused at once", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write(req("a"));
    void answerEach(await next());
    await raw.take(gotReply(1).length);
    raw.write("\x01\x02\x03\r\n\r\n");
    await raw.closed();
    expect(raw.received.toString("latin1")).toContain("HTTP/1.1 400 Bad Request\r\n");
  });
});
