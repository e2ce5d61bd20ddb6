// The API gateway embedded in an app: HTTP and WebSocket into every service of the mesh.
// Try: curl -d '{"name":"Ann"}' http://127.0.0.1:8080/api/greeter/Greeter.Hello
import { createService } from "@micro/core";
import { createGateway } from "@micro/gateway";

// a client-only service: its registry, selector and client reach the mesh; it serves nothing itself
const mesh = createService({ name: "greeter.gateway" });
const gateway = createGateway({ service: mesh, address: process.env.GATEWAY_ADDRESS ?? "127.0.0.1:8080" });
const address = await gateway.listen();
console.error(`gateway listening on http://${address}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void gateway.close().then(() => process.exit(0)));
}
