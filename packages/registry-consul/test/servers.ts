// The agent these tests talk to: the one @micro/testing/servers resolves (CONSUL_HTTP_ADDR, the
// services env file, else 127.0.0.1:8500), as `host:port`.
import { resolveServer } from "@micro/testing/servers";

export { describeWithServer } from "@micro/testing/servers";

const { host, port } = resolveServer("consul");
export const CONSUL_ADDR = `${host}:${port}`;
