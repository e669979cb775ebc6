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
    base: { service: config.service },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination);
  if (config.pretty) {
    return pino({ ...options, transport: { target: "pino-pretty", options: { colorize: true } } });
  }
  return pino(options);
}
