// The files of a new project: configuration and documentation. Code files are in code.ts.
import type { ScaffoldNames } from "./names.js";

export interface Versions {
  micro: string;
  /** What the generated module builds its message types with (codegen's own range). */
  protobufjs: string;
  typescript: string;
  vitest: string;
  typesNode: string;
}

export function packageJson(n: ScaffoldNames, v: Versions): string {
  const pkg = {
    name: n.dir.split("/").pop(),
    version: "0.1.0",
    private: true,
    description: `The ${n.fqdn} ${n.type}`,
    type: "module",
    engines: { node: ">=22" },
    scripts: {
      // the proto package is the service name unless --namespace/--fqdn named it otherwise
      gen: `micro-gen proto/${n.alias}.proto --out src/gen${n.fqdn === n.alias ? "" : ` --service ${n.fqdn}`}`,
      build: "tsc -p tsconfig.build.json",
      typecheck: "tsc -p tsconfig.json",
      start: "node dist/main.js",
      test: "vitest run",
    },
    dependencies: {
      "@micro/core": `^${v.micro}`,
      "@micro/defaults": `^${v.micro}`,
      protobufjs: v.protobufjs,
    },
    devDependencies: {
      "@micro/codegen": `^${v.micro}`,
      "@types/node": v.typesNode,
      typescript: v.typescript,
      vitest: v.vitest,
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

// tsconfig.json checks everything (sources and tests, `npm run typecheck`); the build emits src only.
export const tsconfig = `${JSON.stringify(
  {
    compilerOptions: {
      target: "ES2023",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      types: ["node"],
    },
    include: ["src", "test"],
  },
  null,
  2,
)}\n`;

export const tsconfigBuild = `${JSON.stringify(
  {
    extends: "./tsconfig.json",
    compilerOptions: { noEmit: false, rootDir: "src", outDir: "dist", sourceMap: true },
    include: ["src"],
  },
  null,
  2,
)}\n`;

export const gitignore = "node_modules\ndist\n";

// The image installs and builds its own; a local node_modules copied over it would break it.
export const dockerignore = "node_modules\ndist\n.git\n";

export function dockerfile(n: ScaffoldNames): string {
  const web = n.type === "web";
  return `# Builds and runs the ${n.fqdn} ${n.type}.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json ./
RUN npm install
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-slim
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
${web ? "COPY --from=build /app/public ./public\n" : ""}COPY package.json ./
# go-micro's flags work as env vars: MICRO_REGISTRY=etcd MICRO_REGISTRY_ADDRESS=etcd:2379 ...
${web ? "ENV PORT=8080 MICRO_SERVER_ADDRESS=:9090\nEXPOSE 8080 9090" : "ENV MICRO_SERVER_ADDRESS=:8080\nEXPOSE 8080"}
CMD ["node", "dist/main.js"]
`;
}

export function proto(n: ScaffoldNames): string {
  return `syntax = "proto3";

package ${n.alias};

service ${n.pascal} {
  rpc Call(CallRequest) returns (CallResponse) {}
  rpc Stream(StreamRequest) returns (stream StreamResponse) {}
}

message CallRequest {
  string name = 1;
}

message CallResponse {
  string msg = 1;
}

message StreamRequest {
  int32 count = 1;
}

message StreamResponse {
  int32 count = 1;
}

// Published on the topic "${n.fqdn}" and handled by src/subscriber.ts.
message Message {
  string say = 1;
}
`;
}

const TYPE_NOTES: Record<ScaffoldNames["type"], (n: ScaffoldNames) => string> = {
  service: () => "",
  function: () =>
    "\nA function serves one request (or one message), then deregisters and exits, like go-micro's\n`micro.NewFunction`.\n",
  api: (n) =>
    `\nBehind go-micro's \`micro api\` gateway (or this project's own):\n\n\`\`\`sh\ncurl -d '{"name":"John"}' http://localhost:8080/${n.fqdn}/${n.pascal}.Call\n\`\`\`\n`,
  web: (n) =>
    `\n\`src/web.ts\` serves \`public/index.html\` on \`$PORT\` (default 8080) and turns \`POST /api/call\` into a\ncall to \`${n.pascal}.Call\` through the generated client. Open http://localhost:8080 after \`npm start\`.\n`,
};

export function readme(n: ScaffoldNames): string {
  const call = `micro call ${n.fqdn} ${n.pascal}.Call '{"name":"John"}'`;
  const web = n.type === "web" ? "\n- `src/web.ts`, `public/index.html` — the web front." : "";
  return `# ${n.fqdn}

A ${n.type} made with \`micro new\` (Micro for TypeScript). It runs on go-micro's defaults (mdns
registry, http transport, http broker) and speaks go-micro's wire formats, so Go services call it and
it calls them.
${TYPE_NOTES[n.type](n)}
\`\`\`sh
npm install          # or pnpm install
npm run typecheck    # sources and tests
npm run build
npm start            # flags: --registry=etcd --registry_address=127.0.0.1:2379, or MICRO_* env vars
${call}
npm test
\`\`\`

- \`proto/${n.alias}.proto\` — the API. After editing it, \`npm run gen\` rewrites \`src/gen/\` (commit both).
- \`src/handler.ts\` — implements \`${n.pascal}Handler\`; the compiler checks it against the proto.
- \`src/subscriber.ts\` — handles messages published to \`${n.fqdn}\`.
- \`src/service.ts\` — the service: name \`${n.fqdn}\`, handler and subscriber registered.
- \`src/main.ts\` — runs it.${web}
- \`test/\` — starts the service in-process on the memory registry and calls it through
  \`${n.pascal}Client\`.
`;
}
