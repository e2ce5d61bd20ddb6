// Finding a service's records, with the same not-found error the client gives, so `describe`,
// `health` and `call` all exit 3 for a name the registry does not know.
import { MicroError, type Service } from "@micro/core";
import type { Runtime } from "../command.js";
import { registryName } from "../command.js";

export async function lookup(rt: Runtime, name: string): Promise<Service[]> {
  rt.io.progress(`looking up ${name} in ${registryName(rt)}…`);
  const registry = await rt.registry();
  const services = await registry.getService(name);
  if (services.length === 0) throw MicroError.internal("go.micro.client", `service ${name}: not found`);
  return services;
}
