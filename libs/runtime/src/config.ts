import { accessSync, constants, statSync } from "node:fs";

/**
 * Reads configuration from the environment and fails fast, naming every missing
 * or invalid variable at once rather than the first one only.
 */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

type Parse<T> = (raw: string) => T;

export interface EnvReader {
  string(name: string, fallback?: string): string;
  int(name: string, fallback?: number, range?: { min?: number; max?: number }): number;
  bool(name: string, fallback?: boolean): boolean;
  oneOf<const T extends string>(name: string, values: readonly T[], fallback?: T): T;
  optional(name: string): string | undefined;
  /** An IANA time zone name, checked against the runtime's zone data. */
  timeZone(name: string, fallback?: string): string;
  /** A pino level (`LOG_LEVEL`): a typo is a configuration error, not a crash when the logger starts. */
  logLevel(name?: string, fallback?: LogLevel): LogLevel;
  /** A path to a file this process can read, checked now; `undefined` when unset and optional. */
  file(name: string, options?: { optional?: false }): string;
  file(name: string, options: { optional: true }): string | undefined;
  /** A problem that involves several settings; reported with the others by `done()`. */
  problem(message: string): void;
  /** Throws a ConfigError listing every problem met so far. */
  done(): void;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function unreadable(path: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) return "is a directory";
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (code ?? "cannot be read");
  }
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvReader {
  const problems: string[] = [];
  function get<T>(name: string, parse: Parse<T>, fallback: T | undefined, placeholder: T): T {
    const raw = env[name];
    if (raw === undefined || raw === "") {
      if (fallback !== undefined) return fallback;
      problems.push(`${name} is required`);
      return placeholder;
    }
    try {
      return parse(raw);
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
      return placeholder;
    }
  }
  const reader: EnvReader = {
    string: (name, fallback) => get(name, (s) => s, fallback, ""),
    int: (name, fallback, range = {}) =>
      get(
        name,
        (s) => {
          if (!/^-?\d+$/.test(s.trim())) throw new Error(`"${s}" is not an integer`);
          const n = Number.parseInt(s, 10);
          if (range.min !== undefined && n < range.min) throw new Error(`${n} is below ${range.min}`);
          if (range.max !== undefined && n > range.max) throw new Error(`${n} is above ${range.max}`);
          return n;
        },
        fallback,
        0,
      ),
    bool: (name, fallback) =>
      get(
        name,
        (s) => {
          const v = s.trim().toLowerCase();
          if (["1", "true", "yes", "on"].includes(v)) return true;
          if (["0", "false", "no", "off"].includes(v)) return false;
          throw new Error(`"${s}" is not a boolean`);
        },
        fallback,
        false,
      ),
    oneOf: (name, values, fallback) =>
      get(
        name,
        (s) => {
          const v = values.find((x) => x === s.trim());
          if (v === undefined) throw new Error(`"${s}" is not one of ${values.join(", ")}`);
          return v;
        },
        fallback,
        values[0]!,
      ),
    optional: (name) => (env[name] === "" ? undefined : env[name]),
    timeZone: (name, fallback) =>
      get(
        name,
        (s) => {
          const zone = s.trim();
          try {
            // Intl throws a RangeError for a zone its data does not have.
            new Intl.DateTimeFormat("en", { timeZone: zone });
          } catch {
            throw new Error(`"${s}" is not an IANA time zone`);
          }
          return zone;
        },
        fallback,
        "UTC",
      ),
    logLevel: (name = "LOG_LEVEL", fallback = "info") => reader.oneOf(name, LOG_LEVELS, fallback),
    file: ((name: string, options?: { optional?: boolean }) => {
      const path = options?.optional ? reader.optional(name) : reader.string(name);
      if (path === undefined || path === "") return path;
      const why = unreadable(path);
      if (why !== undefined) problems.push(`${name}: ${path}: ${why}`);
      return path;
    }) as EnvReader["file"],
    problem: (message) => {
      problems.push(message);
    },
    done: () => {
      if (problems.length > 0) throw new ConfigError(problems);
    },
  };
  return reader;
}

/** How a process authenticates to NATS and verifies it (`NATS_*`); all optional. */
export interface NatsSecurity {
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  /** A `.creds` file (JWT and NKey seed), for an operator-mode NATS deployment. */
  readonly credsFile?: string;
  /** TLS: the CA that signed the servers' certificates, and this client's certificate when they verify clients. */
  readonly tls?: { readonly caFile: string; readonly certFile?: string; readonly keyFile?: string };
}

/** The NATS credentials and TLS files; one way of authenticating at most, named otherwise. */
export function natsSecurity(e: EnvReader): NatsSecurity {
  const user = e.optional("NATS_USER");
  const pass = e.optional("NATS_PASSWORD");
  const token = e.optional("NATS_TOKEN");
  const credsFile = e.file("NATS_CREDS_FILE", { optional: true });
  const caFile = e.file("NATS_TLS_CA_FILE", { optional: true });
  const certFile = e.file("NATS_TLS_CERT_FILE", { optional: true });
  const keyFile = e.file("NATS_TLS_KEY_FILE", { optional: true });
  if ((user === undefined) !== (pass === undefined)) e.problem("NATS_USER and NATS_PASSWORD go together");
  if ([user, token, credsFile].filter((v) => v !== undefined).length > 1) e.problem("NATS_USER, NATS_TOKEN and NATS_CREDS_FILE are alternatives: set one");
  if ((certFile === undefined) !== (keyFile === undefined)) e.problem("NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE go together");
  if (certFile !== undefined && caFile === undefined) e.problem("NATS_TLS_CERT_FILE needs NATS_TLS_CA_FILE");
  return {
    ...(user !== undefined && pass !== undefined ? { user, pass } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(credsFile !== undefined ? { credsFile } : {}),
    ...(caFile !== undefined ? { tls: { caFile, ...(certFile && keyFile ? { certFile, keyFile } : {}) } } : {}),
  };
}

/**
 * Files of gRPC TLS between Circulate's processes: the CA every peer's
 * certificate is signed by, this process's certificate and key as a server,
 * and (when its server certificate may not be used as a client's) the ones it
 * presents as a client. With them every channel is mutual TLS.
 */
export interface GrpcTlsFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly clientCertFile?: string;
  readonly clientKeyFile?: string;
}

/** The gRPC TLS files (`GRPC_TLS_*`): all of CA, certificate and key, or none (plain text). */
export function grpcTlsFiles(e: EnvReader): GrpcTlsFiles | undefined {
  const caFile = e.file("GRPC_TLS_CA_FILE", { optional: true });
  const certFile = e.file("GRPC_TLS_CERT_FILE", { optional: true });
  const keyFile = e.file("GRPC_TLS_KEY_FILE", { optional: true });
  const clientCertFile = e.file("GRPC_TLS_CLIENT_CERT_FILE", { optional: true });
  const clientKeyFile = e.file("GRPC_TLS_CLIENT_KEY_FILE", { optional: true });
  const set = [caFile, certFile, keyFile].filter((f) => f !== undefined).length;
  if (set > 0 && set < 3) e.problem("GRPC_TLS_CA_FILE, GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE go together (mutual TLS between processes)");
  if ((clientCertFile === undefined) !== (clientKeyFile === undefined)) e.problem("GRPC_TLS_CLIENT_CERT_FILE and GRPC_TLS_CLIENT_KEY_FILE go together");
  if (set < 3) return undefined;
  return { caFile: caFile!, certFile: certFile!, keyFile: keyFile!, ...(clientCertFile && clientKeyFile ? { clientCertFile, clientKeyFile } : {}) };
}

/**
 * Runs a process's composition root. A configuration error is printed as one
 * message naming every problem, without a stack trace, and the process exits
 * with 78 (EX_CONFIG), so an orchestrator shows a misconfiguration as such
 * rather than as a crash. Anything else propagates as before.
 */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
}
