import pino, { type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

/**
 * Keys whose values never reach a log line, at any of the depths we log at.
 * PINs and passwords are redacted here, at the logger, so no call site can leak
 * one by logging a whole command or request.
 */
export const SECRET_KEYS = [
  "pin",
  "patronPin",
  "patronPassword",
  "password",
  "passwordHash",
  "pinHash",
  "terminalPassword",
  "loginPassword",
  "secret",
  "authorization",
] as const;

export function redactPaths(keys: readonly string[] = SECRET_KEYS): string[] {
  return keys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);
}

/**
 * An error as plain JSON data (type, message, stack, code, details, cause, …). Redaction works
 * on a copy of the logged object in which a Map is no longer a Map, so a class instance whose
 * toJSON reads one (gRPC's Metadata on every ServiceError) threw while the line was written and
 * the whole error was logged as "[unable to serialize…]". Instances become their JSON form first.
 */
export function errorData(err: unknown): unknown {
  return err instanceof Error ? fields(pino.stdSerializers.err(err), 0) : plain(err, 0);
}

const MAX_DEPTH = 6;

function plain(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth > MAX_DEPTH) return "[too deep]";
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON !== "function") return value instanceof Error ? fields(pino.stdSerializers.err(value), depth + 1) : String(value);
    try {
      return plain(toJSON.call(value), depth + 1);
    } catch {
      return String(value);
    }
  }
  return fields(value, depth);
}

function fields(value: object, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = plain(v, depth + 1);
  return out;
}

export interface LoggerConfig {
  service: string;
  level?: string;
  /** Human-readable output for a terminal (needs pino-pretty installed). */
  pretty?: boolean;
}

/** JSON logs (pino) with secrets redacted; pretty only when asked and available. */
export function createLogger(config: LoggerConfig, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    name: config.service,
    level: config.level ?? "info",
    redact: { paths: redactPaths(), censor: "[redacted]" },
    serializers: { err: errorData },
    base: { service: config.service },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination);
  if (config.pretty) {
    return pino({ ...options, transport: { target: "pino-pretty", options: { colorize: true } } });
  }
  return pino(options);
}
