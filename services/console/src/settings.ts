import { existsSync } from "node:fs";
import { isIP } from "node:net";
import { fileURLToPath } from "node:url";
import { SERVICE_NAMES, type ServiceName } from "@circulate/contracts";
import {
  type EnvReader,
  type GrpcTlsFiles,
  grpcTlsFiles,
  type LogLevel,
  type NatsSecurity,
  natsSecurity,
  readEnv,
} from "@circulate/runtime";
import { SERVICE_PORTS } from "@circulate/service";

/** Everything the console process reads from its environment. */
export interface ConsoleConfig {
  /** The console's own database: staff accounts, sessions and its events. */
  readonly postgresUrl: string;
  readonly createDatabase: boolean;
  readonly natsUrl: string;
  readonly natsSecurity?: NatsSecurity;
  /** Its events go out on `<subjectPrefix>.evt.console.<Type>`. */
  readonly subjectPrefix: string;
  /** Into the stream `<streamPrefix>_CONSOLE_EVENTS`. */
  readonly streamPrefix: string;
  readonly streamReplicas: number;
  readonly httpHost: string;
  readonly httpPort: number;
  /** TLS for the HTTP API; unset = plain HTTP (behind a TLS-terminating proxy, set CONSOLE_SECURE_COOKIES). */
  readonly httpTls?: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** Session cookies carry `Secure` (always when httpTls is set). */
  readonly secureCookies: boolean;
  /** Origins, besides the API's own, a browser may send state-changing requests from (a proxy's public URL). */
  readonly allowedOrigins: readonly string[];
  /**
   * Addresses (or CIDR ranges) of reverse proxies whose X-Forwarded-For, -Proto and -Host are
   * believed: the client address sign-ins are throttled by, and the origin requests must match.
   */
  readonly trustedProxies: readonly string[];
  readonly opsHost: string;
  readonly opsPort: number;
  /** gRPC addresses of the services (the same variables the import and the services read). */
  readonly services: Readonly<Record<ServiceName, string>>;
  readonly grpcTls?: GrpcTlsFiles | undefined;
  /** Deadline of one call to a service. */
  readonly grpcTimeoutMs: number;
  readonly session: SessionPolicy;
  /** A connected terminal with no request for this long shows as silent on the fleet page. */
  readonly terminalSilentMs: number;
  /** An open fleet stream is sent the view at least this often. */
  readonly fleetPushMs: number;
  /** An import's upload (POST /api/imports) larger than this is refused (413). */
  readonly importMaxBytes: number;
  /** The built web console served at `/`; undefined when there is none (the API alone). */
  readonly webDir: string | undefined;
  readonly logLevel: LogLevel;
  readonly prettyLogs: boolean;
}

export interface SessionPolicy {
  /** A session unused this long ends. */
  readonly idleMs: number;
  /** A session ends this long after login, used or not. */
  readonly absoluteMs: number;
}


export const DEFAULT_HTTP_PORT = 7110;
/** Where the package's build puts the web console (`vite build`), from src/ and from dist/ alike. */
export const BUILT_WEB_DIR = fileURLToPath(new URL("../dist/web", import.meta.url));
export const DEFAULT_OPS_PORT = 9110;
/** 1 GiB: a million-item CSV is about 100 MB. */
export const DEFAULT_IMPORT_MAX_BYTES = 2 ** 30;

/**
 * The console's settings, read with the caller's reader so every problem is
 * named in one message by its `done()` (exit 78, like every other process).
 */
export function consoleSettings(e: EnvReader): ConsoleConfig {
  const certFile = e.file("CONSOLE_TLS_CERT_FILE", { optional: true });
  const keyFile = e.file("CONSOLE_TLS_KEY_FILE", { optional: true });
  if ((certFile === undefined) !== (keyFile === undefined)) e.problem("CONSOLE_TLS_CERT_FILE and CONSOLE_TLS_KEY_FILE go together");
  const httpTls = certFile && keyFile ? { certFile, keyFile } : undefined;
  const origins = list(e.optional("CONSOLE_ALLOWED_ORIGINS"));
  for (const o of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(o)) e.problem(`CONSOLE_ALLOWED_ORIGINS: "${o}" is not an origin (scheme://host[:port], no path)`);
  }
  const trustedProxies = list(e.optional("CONSOLE_TRUSTED_PROXIES"));
  for (const p of trustedProxies) {
    const [address, bits, extra] = p.split("/");
    const family = isIP(address ?? "");
    const maxBits = family === 6 ? 128 : 32;
    if (family === 0 || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits))) {
      e.problem(`CONSOLE_TRUSTED_PROXIES: "${p}" is not an IP address or CIDR range`);
    }
  }
  const idleMinutes = e.int("CONSOLE_SESSION_IDLE_MINUTES", 30, { min: 1, max: 24 * 60 });
  const absoluteHours = e.int("CONSOLE_SESSION_MAX_HOURS", 12, { min: 1, max: 24 * 30 });
  return {
    postgresUrl: e.string("CONSOLE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/circulate_console"),
    createDatabase: e.bool("CREATE_DATABASES", true),
    natsUrl: e.string("NATS_URL", "nats://127.0.0.1:4222"),
    natsSecurity: natsSecurity(e),
    subjectPrefix: e.string("SUBJECT_PREFIX", "circ"),
    streamPrefix: e.string("STREAM_PREFIX", "CIRC"),
    streamReplicas: e.int("STREAM_REPLICAS", 1, { min: 1, max: 5 }),
    httpHost: e.string("CONSOLE_HTTP_HOST", "127.0.0.1"),
    httpPort: e.int("CONSOLE_HTTP_PORT", DEFAULT_HTTP_PORT, { min: 0, max: 65535 }),
    httpTls,
    secureCookies: httpTls !== undefined || e.bool("CONSOLE_SECURE_COOKIES", false),
    allowedOrigins: origins,
    trustedProxies,
    opsHost: e.string("OPS_HOST", "127.0.0.1"),
    opsPort: e.int("CONSOLE_OPS_PORT", DEFAULT_OPS_PORT, { min: 0, max: 65535 }),
    services: Object.fromEntries(
      SERVICE_NAMES.map((s) => [s, e.string(`${s.toUpperCase()}_GRPC_ADDRESS`, `127.0.0.1:${SERVICE_PORTS[s].grpc}`)]),
    ) as Record<ServiceName, string>,
    grpcTls: grpcTlsFiles(e),
    grpcTimeoutMs: e.int("CONSOLE_GRPC_TIMEOUT_MS", 5_000, { min: 100, max: 120_000 }),
    session: { idleMs: idleMinutes * 60_000, absoluteMs: absoluteHours * 3_600_000 },
    terminalSilentMs: e.int("CONSOLE_TERMINAL_SILENT_SECONDS", 45, { min: 1, max: 24 * 3600 }) * 1000,
    fleetPushMs: e.int("CONSOLE_FLEET_PUSH_MS", 5_000, { min: 100, max: 60_000 }),
    importMaxBytes: e.int("CONSOLE_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES, { min: 1024, max: 64 * 2 ** 30 }),
    webDir: webDir(e.optional("CONSOLE_WEB_DIR"), e),
    logLevel: e.logLevel(),
    prettyLogs: e.bool("PRETTY_LOGS", false),
  };
}

/** CONSOLE_WEB_DIR must hold an index.html; unset, the package's build is served when it was built. */
function webDir(value: string | undefined, e: EnvReader): string | undefined {
  if (value === undefined) return existsSync(`${BUILT_WEB_DIR}/index.html`) ? BUILT_WEB_DIR : undefined;
  if (value === "" || value === "none") return undefined;
  if (!existsSync(`${value}/index.html`)) e.problem(`CONSOLE_WEB_DIR: ${value} has no index.html`);
  return value;
}

/** A comma-separated setting's entries. */
function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/** Reads and checks the whole environment; throws ConfigError naming every problem. */
export function consoleConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const e = readEnv(env);
  const config = consoleSettings(e);
  e.done();
  return config;
}
