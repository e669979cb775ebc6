import {
  type GrpcTlsFiles,
  grpcTlsFiles,
  type LogLevel,
  type NatsSecurity,
  natsSecurity,
  readEnv,
  type TracingSettings,
  tracingSettings,
} from "@circulate/runtime";

/** Everything the gateway reads from the environment (README "Configuration"). */
export interface GatewayConfig {
  accountsFile: string;
  /** Address the SIP2 listeners bind. */
  sip2Host: string;
  /** Plain TCP port (0 = any free port). */
  tcpPort: number;
  /** TLS port; TLS runs only when a certificate and key are configured. */
  tlsPort: number;
  tls?: { certFile: string; keyFile: string; caFile?: string; requireClientCert: boolean };
  idleTimeoutMs: number;
  maxFrameBytes: number;
  replyMarginMs: number;
  /** Kept back from the answer for the service's commit and delivery: the command's deadline is this much earlier. */
  commitReserveMs: number;
  login: { maxFailures: number; windowMs: number; lockoutMs: number };
  health: { intervalMs: number; timeoutMs: number };
  natsUrl: string;
  /** NATS credentials and TLS (NATS_USER/NATS_PASSWORD, NATS_TOKEN or NATS_CREDS_FILE; NATS_TLS_*). */
  natsSecurity?: NatsSecurity;
  subjectPrefix: string;
  /** Names the JetStream resources the gateway creates (the terminal-history bucket), like the services' streams. */
  streamPrefix: string;
  /** Copies of the gateway's KV buckets on a NATS cluster (STREAM_REPLICAS, 1–5). Default 1. */
  streamReplicas?: number;
  /** Names this replica's entries in the fleet bucket (GATEWAY_ID); default host name and a random suffix. */
  gatewayId?: string;
  /**
   * The fleet bucket: every live connection is written at least every `refreshMs`, with news at
   * most every `writeMs`; the bucket drops entries after three refreshes. Defaults 20 s and 2 s.
   */
  fleet?: { refreshMs: number; writeMs: number };
  /** Follow the terminal accounts managed at run time (SIP2_ACCOUNTS_KV). Default true. */
  accountsKv?: boolean;
  grpcHost: string;
  grpcPort: number;
  /** Mutual TLS for the reply sink the services deliver to (GRPC_TLS_*); plain text when unset. */
  grpcTls?: GrpcTlsFiles | undefined;
  /** host:port services deliver outcomes to; defaults to the bound gRPC address. */
  advertiseAddress?: string;
  opsHost: string;
  opsPort: number;
  logLevel: LogLevel;
  prettyLogs: boolean;
  shutdownGraceMs: number;
  /** OpenTelemetry tracing (OTEL_*); off when unset. */
  tracing?: TracingSettings;
}

/** Reads the configuration; throws ConfigError naming every problem. */
export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const e = readEnv(env);
  const port = (name: string, fallback: number) => e.int(name, fallback, { min: 0, max: 65535 });
  const ms = (name: string, fallback: number) => e.int(name, fallback, { min: 1 });
  const certFile = e.file("SIP2_TLS_CERT_FILE", { optional: true });
  const keyFile = e.file("SIP2_TLS_KEY_FILE", { optional: true });
  const caFile = e.file("SIP2_TLS_CA_FILE", { optional: true });
  const requireClientCert = e.bool("SIP2_TLS_REQUIRE_CLIENT_CERT", false);
  const config: GatewayConfig = {
    accountsFile: e.file("SIP2_ACCOUNTS_FILE"),
    sip2Host: e.string("SIP2_HOST", "0.0.0.0"),
    tcpPort: port("SIP2_PORT", 6001),
    tlsPort: port("SIP2_TLS_PORT", 6002),
    ...(certFile && keyFile ? { tls: { certFile, keyFile, ...(caFile ? { caFile } : {}), requireClientCert } } : {}),
    idleTimeoutMs: ms("SIP2_IDLE_TIMEOUT_MS", 900_000),
    maxFrameBytes: e.int("SIP2_MAX_FRAME_BYTES", 16_384, { min: 256 }),
    replyMarginMs: e.int("SIP2_REPLY_MARGIN_MS", 100, { min: 0, max: 2_000 }),
    commitReserveMs: e.int("SIP2_COMMIT_RESERVE_MS", 300, { min: 0, max: 5_000 }),
    login: {
      maxFailures: e.int("SIP2_LOGIN_MAX_FAILURES", 5, { min: 1 }),
      windowMs: ms("SIP2_LOGIN_FAILURE_WINDOW_MS", 60_000),
      lockoutMs: ms("SIP2_LOGIN_LOCKOUT_MS", 300_000),
    },
    health: { intervalMs: ms("SIP2_HEALTH_INTERVAL_MS", 2_000), timeoutMs: ms("SIP2_HEALTH_TIMEOUT_MS", 1_000) },
    natsUrl: e.string("NATS_URL", "nats://127.0.0.1:4222"),
    natsSecurity: natsSecurity(e),
    subjectPrefix: e.string("SUBJECT_PREFIX", "circ"),
    streamPrefix: e.string("STREAM_PREFIX", "CIRC"),
    streamReplicas: e.int("STREAM_REPLICAS", 1, { min: 1, max: 5 }),
    ...(e.optional("GATEWAY_ID") ? { gatewayId: e.optional("GATEWAY_ID") } : {}),
    fleet: { refreshMs: e.int("SIP2_FLEET_REFRESH_MS", 20_000, { min: 1_000 }), writeMs: e.int("SIP2_FLEET_WRITE_MS", 2_000, { min: 100 }) },
    accountsKv: e.bool("SIP2_ACCOUNTS_KV", true),
    grpcHost: e.string("GATEWAY_GRPC_HOST", "127.0.0.1"),
    grpcPort: port("GATEWAY_GRPC_PORT", 7100),
    grpcTls: grpcTlsFiles(e),
    ...(e.optional("GATEWAY_ADVERTISE_ADDRESS") ? { advertiseAddress: e.optional("GATEWAY_ADVERTISE_ADDRESS") } : {}),
    opsHost: e.string("OPS_HOST", "127.0.0.1"),
    opsPort: port("GATEWAY_OPS_PORT", 9100),
    logLevel: e.logLevel(),
    prettyLogs: e.bool("PRETTY_LOGS", false),
    shutdownGraceMs: ms("SHUTDOWN_GRACE_MS", 15_000),
    tracing: tracingSettings(e, "sip2-gateway"),
  };
  if ((certFile === undefined) !== (keyFile === undefined)) e.problem("SIP2_TLS_CERT_FILE and SIP2_TLS_KEY_FILE go together");
  if (requireClientCert && !caFile) e.problem("SIP2_TLS_REQUIRE_CLIENT_CERT needs SIP2_TLS_CA_FILE");
  const gatewayId = e.optional("GATEWAY_ID");
  if (gatewayId !== undefined && !/^[A-Za-z0-9_-]+$/.test(gatewayId)) e.problem("GATEWAY_ID is made of letters, digits, - and _");
  // `accounts.<gatewayId>` is where each replica's file accounts are: a gateway named so would mix its connections in.
  if (gatewayId === "accounts") e.problem("GATEWAY_ID cannot be \"accounts\" (the fleet bucket's name for the accounts files' entries)");
  if (config.fleet && config.fleet.writeMs > config.fleet.refreshMs) e.problem("SIP2_FLEET_WRITE_MS is at most SIP2_FLEET_REFRESH_MS");
  e.done();
  return config;
}
