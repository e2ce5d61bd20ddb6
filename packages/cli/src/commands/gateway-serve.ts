// Running a gateway from the CLI: listen, say where (and what is open to whom), serve until Ctrl-C,
// then stop taking requests and let those in flight finish.
import type { Gateway, GatewayOptions, SidecarOptions } from "@micro/gateway";
import type { Runtime } from "../command.js";

export async function serveGateway(
  rt: Runtime,
  what: string,
  options: SidecarOptions,
  create?: (options: SidecarOptions) => Gateway,
): Promise<number> {
  const make = create ?? (await import("@micro/gateway")).createGateway;
  const gateway = make(options as GatewayOptions);
  const address = await gateway.listen();
  const scheme = options.tls ? "https" : "http";
  const auth = options.auth
    ? "bearer token required"
    : "no auth (anyone who reaches the port may call every service)";
  if (rt.format === "json") {
    rt.io.out(
      JSON.stringify({ [what.replaceAll(" ", "_")]: `${scheme}://${address}`, auth: Boolean(options.auth) }),
    );
  }
  // always said (on stderr): scripts wait for this line before sending requests
  rt.io.err(`${what} listening on ${scheme}://${address} (${auth}); Ctrl-C to stop`);
  await rt.interrupted;
  await gateway.close();
  return 0;
}
