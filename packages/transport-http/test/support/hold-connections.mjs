// node hold-connections.mjs <host:port> <count> <holdMs>: opens `count` connections at once, keeps
// them `holdMs`, then closes them; prints how many were served (stayed open), answered (got bytes)
// and dropped (closed by the server without a word). A process of its own: its descriptors are not
// the server's.
import { connect } from "node:net";

const [address, count, holdMs] = process.argv.slice(2);
const [host, port] = address.split(":");
const out = { open: 0, answered: 0, dropped: 0, failed: 0 };
const sockets = [];
await Promise.all(
  Array.from(
    { length: Number(count) },
    () =>
      new Promise((resolve) => {
        const s = connect({ host, port: Number(port) });
        sockets.push(s);
        let got = 0;
        let done = false;
        const settle = (what) => {
          if (done) return;
          done = true;
          out[what]++;
          resolve();
        };
        s.on("data", (d) => {
          got += d.length;
        });
        s.on("error", () => settle("failed"));
        s.on("close", () => settle(got > 0 ? "answered" : "dropped"));
        s.on("connect", () => setTimeout(() => settle("open"), Number(holdMs)));
      }),
  ),
);
for (const s of sockets) s.destroy();
process.stdout.write(JSON.stringify(out));
