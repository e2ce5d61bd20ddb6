// A describe whose tests own a private server (started before them, deleted after), for tests that
// stop and restart it. Needs the shared server to be reachable too, so CI and local runs decide the
// same way describeWithServer does: the scripts that start the shared one start the private one.
import { afterAll, beforeAll, it } from "vitest";
import {
  type PrivateServer,
  type PrivateServerName,
  serviceScripts,
  startPrivateServer,
} from "./private-server.js";
import { describeWithServer } from "./servers.js";

export function describeWithPrivateServer(
  name: PrivateServerName,
  title: string,
  fn: (server: () => PrivateServer) => void,
  options: { startTimeout?: number } = {},
): void {
  describeWithServer(name, title, () => {
    if (!serviceScripts()) {
      it.skip(`needs scripts/services/start.sh to run a private ${name}`);
      return;
    }
    let server: PrivateServer | undefined;
    beforeAll(async () => {
      server = await startPrivateServer(name);
    }, options.startTimeout ?? 60_000);
    afterAll(async () => {
      await server?.dispose();
    }, 60_000);
    fn(() => {
      if (!server) throw new Error(`the private ${name} did not start`);
      return server;
    });
  });
}
