// go-micro's `micro new` naming: alias (short name), type, and the registered service name. As in
// go-micro v5 (`micro.New("{{lower .Alias}}")` in cmd/micro/cli/new/template/main.go) the name is the
// alias, which is also the proto package, so `micro gen` (whose clients call the proto package by
// default, protoc-gen-micro's convention) agrees with the service without `--service`. The older
// `<namespace>.<type>.<alias>` (go.micro.service.x) is opt-in with --namespace; --fqdn sets any name.
import { UsageError } from "../args.js";

export type ScaffoldType = "service" | "function" | "api" | "web";
export const SCAFFOLD_TYPES: readonly ScaffoldType[] = ["service", "function", "api", "web"];

export interface ScaffoldNames {
  /** Directory and npm package name. */
  dir: string;
  /** Short name: the proto package and handler file names. */
  alias: string;
  /** PascalCase: the proto service and handler interface. */
  pascal: string;
  type: ScaffoldType;
  /** The --namespace given, if any: the name is then `<namespace>.<type>.<alias>`. */
  namespace?: string;
  /** Registered service name (what clients call): the alias unless --namespace or --fqdn. */
  fqdn: string;
}

const words = (s: string) => s.split(/[^A-Za-z0-9]+/).filter(Boolean);

export function scaffoldNames(
  name: string,
  opts: { type?: string; namespace?: string; alias?: string; fqdn?: string },
): ScaffoldNames {
  const type = (opts.type ?? "service") as ScaffoldType;
  if (!SCAFFOLD_TYPES.includes(type)) {
    throw new UsageError(`--type must be one of ${SCAFFOLD_TYPES.join(", ")}, got "${opts.type}"`);
  }
  const base = name.split("/").filter(Boolean).pop() ?? "";
  if (!/^[a-z][a-z0-9-]*$/.test(base)) {
    throw new UsageError(`service name "${name}" must start with a letter and use a-z, 0-9 and "-"`);
  }
  const alias = opts.alias ?? base.replace(/-/g, "");
  if (!/^[a-z][a-z0-9]*$/.test(alias))
    throw new UsageError(`--alias "${alias}" must be lowercase letters and digits`);
  const namespace = opts.namespace;
  if (namespace !== undefined && !/^[a-z][a-z0-9]*(\.[a-z][a-z0-9]*)*$/.test(namespace)) {
    throw new UsageError(`--namespace "${namespace}" must be dot-separated lowercase words, e.g. go.micro`);
  }
  const pascal = words(base)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
  const fqdn = opts.fqdn ?? (namespace ? `${namespace}.${type}.${alias}` : alias);
  return { dir: name, alias, pascal, type, namespace, fqdn };
}
