export { emitModule, type GeneratedFile, type GenerateOptions, generate } from "./generate.js";
export { loadProto } from "./load.js";
export type * from "./model.js";
export { runPlugin } from "./plugin.js";
export { GEN_USAGE, type GenIo, runGen } from "./run.js";
