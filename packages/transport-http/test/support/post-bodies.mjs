// node post-bodies.mjs <host:port> <count> <bytes>: `count` raw HTTP POSTs of `bytes` each, all at
// once, each on its own connection; prints the replies as JSON once all have come. A process of its
// own, so the server's memory is measured without the senders'.
import { connect } from "node:net";

const [address, count, bytes] = process.argv.slice(2);
const [host, port] = address.split(":");
const size = Number(bytes);
const piece = Buffer.alloc(64 * 1024, 97);

function post() {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port: Number(port) });
    let got = "";
    s.on("data", (d) => {
      got += d.toString("latin1");
      const m = /got \d+$/.exec(got);
      if (m) {
        s.destroy();
        resolve(m[0]);
      }
    });
    s.on("error", reject);
    s.on("close", () => reject(new Error(`closed before the reply: ${JSON.stringify(got)}`)));
    s.on("connect", async () => {
      s.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`);
      for (let left = size; left > 0; left -= piece.length) {
        const p = left >= piece.length ? piece : piece.subarray(0, left);
        if (!s.write(p)) await new Promise((r) => s.once("drain", r));
      }
    });
  });
}

const replies = await Promise.all(Array.from({ length: Number(count) }, post));
process.stdout.write(JSON.stringify(replies));
