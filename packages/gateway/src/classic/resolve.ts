// The classic Micro API's path mapping (go-micro v1–v3 `micro api`, rpc handler):
//   /greeter            → greeter            Greeter.Call
//   /greeter/hello      → greeter            Greeter.Hello
//   /greeter/say/hello  → greeter            Say.Hello
//   /v1/greeter/hello   → v1.greeter         Greeter.Hello   (a /v<digits> first part is a version)
//   /a/b/say/hello      → a.b                Say.Hello       (the last two parts name the method)
// and the service is that name under the namespace: go.micro.api.greeter.
const VERSION = /^v\d+$/;

export interface ClassicRoute {
  /** The name derived from the path, before the namespace: "greeter", "v1.greeter". */
  name: string;
  /** The full service name: namespace + "." + name. */
  service: string;
  endpoint: string;
}

function title(part: string): string {
  return part.charAt(0).toUpperCase() + part.slice(1);
}

function method(parts: string[]): string {
  return parts.map(title).join(".");
}

export function resolveClassic(path: string, namespace: string): ClassicRoute | undefined {
  const parts = path.split("/").filter(Boolean);
  if (parts.length === 0) return undefined;
  let name: string;
  let endpoint: string;
  if (parts.length === 1) {
    name = parts[0]!;
    endpoint = method([parts[0]!, "Call"]);
  } else if (parts.length === 2) {
    name = parts[0]!;
    endpoint = method(parts);
  } else if (parts.length === 3 && VERSION.test(parts[0]!)) {
    name = parts.slice(0, 2).join(".");
    endpoint = method(parts.slice(1));
  } else {
    name = parts.slice(0, -2).join(".");
    endpoint = method(parts.slice(-2));
  }
  return { name, service: namespace ? `${namespace}.${name}` : name, endpoint };
}
