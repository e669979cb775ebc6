export { ConfigError, type EnvReader, type GrpcTlsFiles, grpcTlsFiles, LOG_LEVELS, type LogLevel, type NatsSecurity, natsSecurity, readEnv, runMain } from "./config.js";
export { createLogger, type Logger, type LoggerConfig, redactPaths, SECRET_KEYS } from "./logger.js";
export { type Check, type OpsServer, type OpsServerOptions, startOpsServer } from "./ops-server.js";
export { type Closer, gracefulShutdown } from "./shutdown.js";
export { hashPassword, SCRYPT_PARAMS, verifyPassword } from "./passwords.js";
export { VerifiedSecretCache, type VerifiedSecretCacheOptions } from "./verified-secrets.js";
export { isJetStreamSettling, NATS_RECONNECT, type NatsStatusSource, OutageLog, type Probe, startProbe, watchNats, whileJetStreamSettles, within } from "./resilience.js";
export {
  type Context,
  contextFromHeaders,
  currentTraceHeaders,
  extractTrace,
  injectTrace,
  inSpan,
  inSpanContext,
  type Span,
  SpanKind,
  SpanStatusCode,
  spanFailed,
  startSpan,
  startTracing,
  type TextMapGetter,
  type TextMapSetter,
  type TraceHeaders,
  type Tracing,
  tracingEnabled,
} from "./tracing.js";
export { OTLP_PROTOCOLS, type OtlpProtocol, TRACE_SAMPLERS, type TraceSampler, type TracesExporter, type TracingSettings, tracingSettings } from "./tracing-settings.js";
