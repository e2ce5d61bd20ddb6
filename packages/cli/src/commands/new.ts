// `micro new <name>`: a runnable TypeScript service with proto, generated code, handler,
// subscriber, test, Dockerfile and README (go-micro's `micro new` options).
import { resolve } from "node:path";
import { UsageError } from "../args.js";
import type { Command } from "../command.js";
import { SCAFFOLD_TYPES, scaffoldNames } from "../scaffold/names.js";
import { scaffoldVersions } from "../scaffold/versions.js";

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

export const newCommand: Command = {
  names: [["new"], ["new", "service"]],
  usage:
    "micro new <name> [--type service|function|api|web] [--namespace ns] [--alias a] [--fqdn f] [--dir d]",
  summary:
    "Create a new TypeScript service: proto, generated client, handler, subscriber, test, Dockerfile (web: and a web page)",
  options: [
    {
      name: "type",
      type: "string",
      description: `What to create: ${SCAFFOLD_TYPES.join(", ")} (default service)`,
    },
    {
      name: "namespace",
      type: "string",
      description: "Name the service <namespace>.<type>.<alias>, e.g. go.micro (default: no namespace)",
    },
    {
      name: "alias",
      type: "string",
      description: "Short name: proto package and file names (default: from <name>)",
    },
    {
      name: "fqdn",
      type: "string",
      description: "Full service name (default: the alias, the proto package `micro gen` clients call)",
    },
    { name: "dir", type: "string", description: "Directory to create (default ./<name>)" },
  ],
  async run(rt) {
    const [name, ...rest] = rt.args.positionals;
    if (!name) throw new UsageError("new needs a <name>, e.g. micro new greeter");
    if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(" ")}`);
    const o = rt.args.options;
    const names = scaffoldNames(name, {
      type: str(o.type),
      namespace: str(o.namespace),
      alias: str(o.alias),
      fqdn: str(o.fqdn),
    });
    const dir = resolve(str(o.dir) ?? name);
    // the scaffold's writer brings codegen (protobufjs): loaded only when a project is written
    const { writeScaffold } = await import("../scaffold/write.js");
    const written = await writeScaffold(dir, names, scaffoldVersions(), (p) =>
      rt.io.progress(`created ${p}`),
    );
    if (rt.format === "json") {
      rt.io.out(JSON.stringify({ dir, service: names.fqdn, type: names.type, files: written }));
      return 0;
    }
    rt.io.out(`Created ${names.type} ${names.fqdn} in ${dir}:`);
    for (const p of written) rt.io.out(`  ${p}`);
    rt.io.out(
      [
        "",
        "Next:",
        `  cd ${dir}`,
        "  npm install",
        "  npm test",
        "  npm run build && npm start",
        `  micro call ${names.fqdn} ${names.pascal}.Call '{"name":"John"}'`,
        "After editing the proto: npm run gen",
      ].join("\n"),
    );
    return 0;
  },
};
