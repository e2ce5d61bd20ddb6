// Configuration and plugin errors carry a stable code, so tools and tests can match on it.

export const MicroErrorCode = {
  PluginNotFound: "MICRO_ERR_PLUGIN_NOT_FOUND",
  PluginInvalid: "MICRO_ERR_PLUGIN_INVALID",
  CodecNotFound: "MICRO_ERR_CODEC_NOT_FOUND",
  InvalidOption: "MICRO_ERR_INVALID_OPTION",
  InvalidHandler: "MICRO_ERR_INVALID_HANDLER",
  ServiceState: "MICRO_ERR_SERVICE_STATE",
  PluginIncompatible: "MICRO_ERR_PLUGIN_INCOMPATIBLE",
  UnsupportedRuntime: "MICRO_ERR_UNSUPPORTED_RUNTIME",
} as const;
export type MicroErrorCode = (typeof MicroErrorCode)[keyof typeof MicroErrorCode];

export class PluginError extends Error {
  constructor(
    readonly code: MicroErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = "PluginError";
  }
}
