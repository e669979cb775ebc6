import {
  type EnvReader,
  type GrpcTlsFiles,
  grpcTlsFiles,
  type LogLevel,
  type NatsSecurity,
  natsSecurity,
  readEnv,
  type TracingSettings,
  tracingSettings,
} from "@circulate/runtime";
import type { ServiceName } from "@circulate/contracts";

/** Default ports: gRPC 7101–7105 and ops (health, metrics) 9101–9105, in service order. */
export const SERVICE_PORTS: Record<ServiceName, { grpc: number; ops: number }> = {
  patron: { grpc: 7101, ops: 9101 },
  item: { grpc: 7102, ops: 9102 },
  loan: { grpc: 7103, ops: 9103 },
  fee: { grpc: 7104, ops: 9104 },
  hold: { grpc: 7105, ops: 9105 },
};

export interface ServiceConfig {
  /** The service's own database. */
  postgresUrl: string;
  /** Create the database when it does not exist (development and the demo). */
  createDatabase: boolean;
  natsUrl: string;
  /** NATS credentials and TLS (NATS_USER/NATS_PASSWORD, NATS_TOKEN or NATS_CREDS_FILE; NATS_TLS_*). */
  natsSecurity?: NatsSecurity;
  /** NATS subject prefix: commands `<prefix>.cmd.…`, events `<prefix>.evt.…`. */
  subjectPrefix: string;
  /** JetStream stream names are `<streamPrefix>_<SERVICE>_EVENTS`. */
  streamPrefix: string;
  /** Copies of each stream the service creates, on a NATS cluster (STREAM_REPLICAS, 1–5). Default 1. */
  streamReplicas?: number;
  grpcHost: string;
  grpcPort: number;
  /** Mutual TLS for gRPC with peers and gateways (GRPC_TLS_*); plain text when unset. */
  grpcTls?: GrpcTlsFiles | undefined;
  opsHost: string;
  opsPort: number;
  /** gRPC addresses of the other services (host:port). */
  peers: Record<ServiceName, string>;
  logLevel: LogLevel;
  prettyLogs: boolean;
  /** Peer events not yet applied over which readiness fails (PROJECTION_MAX_LAG). Default 1000. */
  projectionMaxLag?: number;
  /** OpenTelemetry tracing (OTEL_*); off when unset. */
  tracing?: TracingSettings;
  /** Days a refused command is kept for the transaction history (REFUSAL_RETENTION_DAYS). Default 400. */
  refusalRetentionDays?: number;
}

/** Reads a service's configuration from the environment; throws ConfigError naming every problem. */
export function serviceConfigFromEnv(service: ServiceName, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const e = readEnv(env);
  const config = serviceConfig(service, e);
  e.done();
  return config;
}

/**
 * The settings every service shares, read with a reader the caller finishes
 * (`done()`), so a service's own settings are checked in the same pass and
 * every problem is named in one message.
 */
export function serviceConfig(service: ServiceName, e: EnvReader): ServiceConfig {
  const upper = service.toUpperCase();
  const peer = (name: ServiceName) =>
    e.string(`${name.toUpperCase()}_GRPC_ADDRESS`, `127.0.0.1:${SERVICE_PORTS[name].grpc}`);
  const config: ServiceConfig = {
    postgresUrl: e.string(`${upper}_POSTGRES_URL`, `postgres://postgres@127.0.0.1:5432/circulate_${service}`),
    createDatabase: e.bool("CREATE_DATABASES", true),
    natsUrl: e.string("NATS_URL", "nats://127.0.0.1:4222"),
    natsSecurity: natsSecurity(e),
    subjectPrefix: e.string("SUBJECT_PREFIX", "circ"),
    streamPrefix: e.string("STREAM_PREFIX", "CIRC"),
    streamReplicas: e.int("STREAM_REPLICAS", 1, { min: 1, max: 5 }),
    grpcHost: e.string(`${upper}_GRPC_HOST`, "127.0.0.1"),
    grpcPort: e.int(`${upper}_GRPC_PORT`, SERVICE_PORTS[service].grpc, { min: 0, max: 65535 }),
    grpcTls: grpcTlsFiles(e),
    opsHost: e.string("OPS_HOST", "127.0.0.1"),
    opsPort: e.int(`${upper}_OPS_PORT`, SERVICE_PORTS[service].ops, { min: 0, max: 65535 }),
    peers: {
      patron: peer("patron"),
      item: peer("item"),
      loan: peer("loan"),
      fee: peer("fee"),
      hold: peer("hold"),
    },
    logLevel: e.logLevel(),
    prettyLogs: e.bool("PRETTY_LOGS", false),
    projectionMaxLag: e.int("PROJECTION_MAX_LAG", 1_000, { min: 0 }),
    tracing: tracingSettings(e, service),
    refusalRetentionDays: e.int("REFUSAL_RETENTION_DAYS", 400, { min: 1 }),
  };
  return config;
}

export function eventStreamName(streamPrefix: string, service: ServiceName): string {
  return `${streamPrefix}_${service.toUpperCase()}_EVENTS`;
}
