// The command table, in the order `micro --help` lists them.
import type { Command } from "../command.js";
import { apiCommand } from "./api.js";
import { callCommand } from "./call.js";
import { completionCommand } from "./completion.js";
import { describeCommand } from "./describe.js";
import { genCommand } from "./gen.js";
import { healthCommand } from "./health.js";
import { mcpCommands } from "./mcp.js";
import { newCommand } from "./new.js";
import { publishCommand } from "./publish.js";
import { deregisterCommand, registerCommand } from "./register.js";
import { serverCommand } from "./server.js";
import { servicesCommand } from "./services.js";
import { sidecarCommand } from "./sidecar.js";
import { streamBidiCommand, streamCommand } from "./stream.js";
import { subscribeCommand } from "./subscribe.js";
import { versionCommand } from "./version.js";
import { watchCommand } from "./watch.js";
import { webCommand } from "./web.js";

export const COMMANDS: readonly Command[] = [
  servicesCommand,
  describeCommand,
  callCommand,
  streamCommand,
  streamBidiCommand,
  healthCommand,
  publishCommand,
  subscribeCommand,
  watchCommand,
  registerCommand,
  deregisterCommand,
  apiCommand,
  serverCommand,
  webCommand,
  sidecarCommand,
  ...mcpCommands,
  newCommand,
  genCommand,
  completionCommand,
  versionCommand,
];
