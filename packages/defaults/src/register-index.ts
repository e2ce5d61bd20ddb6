// `@micro/defaults/plugin-index`: registers the package index (every plugin's names, content types
// and flags, and loaders for the default stack) without importing any plugin. The micro CLI starts
// from it, so `micro --help` lists the stack's flags and `micro services` imports only its registry.
import { registerPluginIndex } from "@micro/core/internal";
import { PLUGIN_INDEX } from "./plugin-index.js";

registerPluginIndex(PLUGIN_INDEX);
