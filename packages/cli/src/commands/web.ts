// `micro web`: the web dashboard (services, endpoint forms, streams, topics, the API explorer) with
// the gateway's routes, and every other path proxied to the web service it names, registered under
// the web namespace (`/shop/cart` → go.micro.web.shop, path /cart), as go-micro's `micro web` did.
import { type Command, noArguments } from "../command.js";
import { gatewayOptionSpecs, gatewayOptions } from "./gateway-options.js";
import { serveGateway } from "./gateway-serve.js";

export const webCommand: Command = {
  names: [["web"]],
  usage: "micro web [--address host:port] [--namespace go.micro.web] [--auth-secret s]",
  summary: "Run the web dashboard and proxy /{service}/ to web services, until Ctrl-C",
  options: [
    ...gatewayOptionSpecs(":8082"),
    {
      name: "namespace",
      type: "string",
      description: "Namespace of the web services proxied at /{service}/ (default go.micro.web)",
    },
  ],
  async run(rt) {
    noArguments(rt);
    const o = rt.args.options;
    const options = await gatewayOptions(rt, {
      classic: true,
      handler: "web",
      webNamespace: (o.namespace as string | undefined) ?? "go.micro.web",
    });
    // go-micro's micro web listened on :8082 and read $MICRO_WEB_ADDRESS, not the API's address
    if (o.address === undefined) options.address = process.env.MICRO_WEB_ADDRESS || ":8082";
    const { createDashboard } = await import("@micro/dashboard");
    return serveGateway(rt, "micro web", options, createDashboard);
  },
};
