export * from "./domain/index.js";
export type { HoldDb } from "./adapters/db.js";
export { grpcPeers, type Peers } from "./adapters/peers.js";
export type { HoldSettings } from "./app/command.support.js";
export { expireDueHolds } from "./app/expire-holds.js";
export { type HoldConfig, holdConfigFromEnv } from "./config.js";
export { DEFAULT_SETTINGS, type HoldServiceOptions, holdService } from "./service.js";
