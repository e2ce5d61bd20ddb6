// `micro sidecar`: a program in any language joins the mesh over plain HTTP — /registry, /broker,
// /rpc and /{service}/{Handler.Method} — and with --server_name the sidecar registers the program
// itself, deregistering it while its health check fails (go-micro's sidecar flags).
import { UsageError } from "../args.js";
import { type Command, noArguments } from "../command.js";
import { gatewayOptionSpecs, gatewayOptions } from "./gateway-options.js";
import { API_ROUTES, serveGateway } from "./gateway-serve.js";

export const sidecarCommand: Command = {
  names: [["sidecar"]],
  usage:
    "micro sidecar [--address host:port] [--server_name name --server_address host:port [--healthcheck_url url]]",
  summary: "Run the sidecar: programs in any language register, call, publish and subscribe over HTTP",
  options: [
    ...gatewayOptionSpecs(":8081"),
    { name: "healthcheck-url", type: "string", description: "The program's health URL (GET, 2xx = healthy)" },
  ],
  async run(rt) {
    noArguments(rt);
    const config = rt.service().config();
    const health = rt.args.options["healthcheck-url"] as string | undefined;
    const name = config.server_name;
    const address = config.server_address;
    if ((name && !address) || (!name && address)) {
      throw new UsageError(
        "--server_name and --server_address go together: the program's name and where it listens",
      );
    }
    if (health && !name) throw new UsageError("--healthcheck_url needs --server_name");
    if (health) {
      try {
        new URL(health);
      } catch {
        throw new UsageError(`--healthcheck_url is not a URL: "${health}"`);
      }
    }
    const { createSidecar } = await import("@micro/gateway");
    const options = await gatewayOptions(rt, { address: ":8081" });
    if (name && address) {
      options.program = {
        name,
        address,
        ...(health ? { healthCheckUrl: health } : {}),
        interval: config.register_interval,
        ttl: config.register_ttl,
      };
    }
    return serveGateway(rt, "sidecar", options, createSidecar, [
      ["GET", "/registry[/{name}]", "list services / one service"],
      ["POST", "/registry?ttl=30s", "register (go-micro registry.Service JSON)"],
      ["DELETE", "/registry[/{name}]", "deregister"],
      ["POST", "/broker/{topic}", "publish the body"],
      ["WS|SSE", "/broker/{topic}?queue=q", "subscribe"],
      ["POST", "/{service}/{Handler.Method}", "call a service"],
      ...API_ROUTES,
    ]);
  },
};
