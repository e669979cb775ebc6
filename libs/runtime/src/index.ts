export { ConfigError, type EnvReader, type GrpcTlsFiles, grpcTlsFiles, LOG_LEVELS, type LogLevel, type NatsSecurity, natsSecurity, readEnv, runMain } from "./config.js";
export { createLogger, type Logger, type LoggerConfig, redactPaths, SECRET_KEYS } from "./logger.js";
export { type Check, type OpsServer, type OpsServerOptions, startOpsServer } from "./ops-server.js";
export { type Closer, gracefulShutdown } from "./shutdown.js";
export { VerifiedSecretCache, type VerifiedSecretCacheOptions } from "./verified-secrets.js";
export { NATS_RECONNECT, type NatsStatusSource, OutageLog, type Probe, startProbe, watchNats, within } from "./resilience.js";
