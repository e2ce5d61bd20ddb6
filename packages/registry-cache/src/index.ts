// A library, not a plugin: importing it registers nothing.
export { applyEvent } from "./apply-event.js";
export {
  DEFAULT_CACHE_TTL,
  DEFAULT_UNWATCHED_TTL,
  RegistryCache,
  type RegistryCacheOptions,
} from "./cache.js";
