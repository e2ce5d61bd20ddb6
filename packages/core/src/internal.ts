// @micro/core/internal: shared by this repository's own tools (the micro CLI, tests, benchmarks).
// No compatibility promise: applications and third-party plugins use the root and plugin-kit.

/** @module @micro/core/internal */
export { CORE_FLAGS } from "./config/core-flags.js";
export { envNames, formatDefault } from "./config/flag-spec.js";
export {
  type ConfigSources,
  mergeSpecs,
  parseArgv,
  resolveConfig,
  unknownFlags,
  usage,
} from "./config/resolve.js";
export { tlsFromConfig } from "./config/tls.js";
export { mapLimit } from "./kit/map-limit.js";
export { resetCodecCache } from "./plugin/codecs.js";
export {
  DEFAULTS_PACKAGE,
  importEntry,
  importPackage,
  type LoadOptions,
  loadPlugin,
  type PluginIndexEntry,
  packageForContentType,
  pluginIndex,
  registerPluginIndex,
} from "./plugin/loader.js";
export { corePackage } from "./plugin/package-info.js";
export { satisfies } from "./plugin/semver.js";
export { closest } from "./plugin/suggest.js";
export { defaultPlugin, PLUGIN_KINDS, unregisterPlugin } from "./plugin/table.js";
export { assertSupportedNode, NODE_MAJOR_MIN } from "./runtime.js";
export { allFlagSpecs, resolveStack, type Stack, type StackOptions } from "./stack.js";
