#!/usr/bin/env node
// protoc-gen-micro-ts: protoc --plugin=protoc-gen-micro-ts=... --micro-ts_out=src/gen proto/*.proto
import { runPlugin } from "./plugin.js";

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
process.stdout.write(runPlugin(Buffer.concat(chunks)));
