// The files of a new project: configuration and documentation. Code files are in code.ts.
import type { ScaffoldNames } from "./names.js";

export interface Versions {
  micro: string;
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
      gen: `micro-gen proto/${n.alias}.proto --out src/gen`,
      build: "tsc -p tsconfig.json",
      start: "node dist/main.js",
      test: "vitest run",
    },
    dependencies: { "@micro/core": `^${v.micro}`, "@micro/defaults": `^${v.micro}` },
    devDependencies: {
      "@micro/codegen": `^${v.micro}`,
      "@types/node": v.typesNode,
      typescript: v.typescript,
      vitest: v.vitest,
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export const tsconfig = `${JSON.stringify(
  {
    compilerOptions: {
      target: "ES2023",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      rootDir: "src",
      outDir: "dist",
      declaration: false,
      sourceMap: true,
      types: ["node"],
    },
    include: ["src"],
  },
  null,
  2,
)}\n`;

export const gitignore = "node_modules\ndist\n";

export const dockerfile = (n: ScaffoldNames) => `# Builds and runs the ${n.fqdn} ${n.type}.
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
COPY package.json ./
# go-micro's flags work as env vars: MICRO_REGISTRY=etcd MICRO_REGISTRY_ADDRESS=etcd:2379 ...
ENV MICRO_SERVER_ADDRESS=:8080
EXPOSE 8080
CMD ["node", "dist/main.js"]
`;

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

export function readme(n: ScaffoldNames): string {
  const call = `micro call ${n.fqdn} ${n.pascal}.Call '{"name":"John"}'`;
  return `# ${n.fqdn}

A ${n.type} made with \`micro new\` (Micro for TypeScript). It runs on go-micro's defaults (mdns
registry, http transport, http broker) and speaks go-micro's wire formats, so Go services call it and
it calls them.

\`\`\`sh
npm install          # or pnpm install
npm run build
npm start            # flags: --registry=etcd --registry_address=127.0.0.1:2379, or MICRO_* env vars
${call}
npm test
\`\`\`

- \`proto/${n.alias}.proto\` — the API. After editing it, \`npm run gen\` rewrites \`src/gen/\`.
- \`src/handler.ts\` — implements \`${n.pascal}Handler\`; the compiler checks it against the proto.
- \`src/subscriber.ts\` — handles messages published to \`${n.fqdn}\`.
- \`src/main.ts\` — the service: name \`${n.fqdn}\`, handler and subscriber registered.
- \`test/\` — starts the service in-process on the memory registry and calls it.
`;
}
