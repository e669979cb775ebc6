export * from "./domain/index.js";
export { type FeeServiceOptions, feeService } from "./service.js";
export { DEFAULT_FEE_SETTINGS, type FeeSettings, feeSettingsFromEnv } from "./settings.js";
