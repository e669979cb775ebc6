/**
 * Options shared by every network subcommand and the shell: where to connect, how to talk
 * (charset, error detection, terminator, timeout) and who we are (login, institution,
 * terminal password). Pure: values in, settings out, {@link UsageError} on bad values.
 */
import { UsageError, charsetOption, timeZoneOption } from "../usage.js";
import type { ClientOptions, Terminator } from "./client.js";
import { TERMINATORS } from "./client.js";
import type { ConnectOptions } from "./connection.js";
import type { OptionsConfig, RequestContext } from "./requests.js";
import { flag, type OptionValues, str } from "./values.js";

const S = { type: "string" } as const;
const B = { type: "boolean" } as const;

/** Connection and output options (given once, before any request). */
export const CONNECTION_OPTIONS = {
  host: S,
  port: S,
  tls: B,
  ca: S,
  cert: S,
  key: S,
  insecure: B,
  charset: S,
  "error-detection": B,
  terminator: S,
  timeout: S,
  retries: S,
  tz: S,
  json: B,
  "reveal-secrets": B,
  help: { type: "boolean", short: "h" },
} as const satisfies OptionsConfig;

/** Who the terminal is; also accepted per command in the shell. */
export const SESSION_OPTIONS = {
  login: S,
  password: S,
  location: S,
  institution: S,
  "terminal-password": S,
} as const satisfies OptionsConfig;

/** Usage text for {@link CONNECTION_OPTIONS} and {@link SESSION_OPTIONS}. */
export const CONNECTION_USAGE = `connection:
  --host H              server (default 127.0.0.1)
  --port N              port (default 6001)
  --tls                 connect with TLS; --ca FILE trusts that CA, --cert FILE --key FILE
                        present a client certificate (mutual TLS), --insecure accepts any
                        server certificate
  --charset C           ibm850 (default, the SIP2 default), utf-8 or iso-8859-1
  --error-detection     add AY/AZ (AY cycles 0–9), verify the response's AZ and ask for a
                        resend (97) when it is wrong
  --terminator T        cr (default), crlf or lf
  --timeout S           seconds to wait for a connection or a response (default 10)
  --retries N           97s or re-sends after a 96 per request (default 3)
  --tz ZONE             IANA zone for SIP dates (default SIP2_TZ or this machine's zone)
terminal:
  --login USER --password PW   log in (93) first; --location CODE is sent as CP (and as
                        AP in checkin)
  --institution ID      AO (default empty)
  --terminal-password P AC (default empty)
output:
  --json                one JSON object per response: request, response, resends, warnings
  --reveal-secrets      print passwords and PINs (CO, AC, AD) as sent; masked by default`;

/** Everything the connection options decide. */
export interface Settings {
  connect: ConnectOptions;
  client: ClientOptions;
  /** The request context without `now` (taken per request). */
  context: Omit<RequestContext, "now">;
  json: boolean;
  revealSecrets: boolean;
}

function port(value: string | undefined): number {
  const n = Number(value ?? "6001");
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`--port: not a port number: ${JSON.stringify(value)}`);
  return n;
}

function seconds(value: string | undefined): number {
  const s = Number(value ?? "10");
  if (!Number.isFinite(s) || s <= 0) throw new UsageError(`--timeout: seconds > 0, got ${JSON.stringify(value)}`);
  return Math.round(s * 1000);
}

function terminator(value: string | undefined): Terminator {
  const t = (value ?? "cr").toLowerCase();
  if (!Object.hasOwn(TERMINATORS, t)) throw new UsageError(`--terminator: cr, crlf or lf, got ${JSON.stringify(value)}`);
  return t as Terminator;
}

function retries(value: string | undefined): number {
  const n = Number(value ?? "3");
  if (!Number.isInteger(n) || n < 0 || n > 9) throw new UsageError(`--retries: 0–9, got ${JSON.stringify(value)}`);
  return n;
}

/** Reads the connection, terminal and output options. */
export function readSettings(values: OptionValues, env: Record<string, string | undefined>): Settings {
  const usesTls = flag(values, "tls");
  for (const name of ["ca", "cert", "key", "insecure"]) {
    if (values[name] !== undefined && !usesTls) throw new UsageError(`--${name} needs --tls`);
  }
  if ((str(values, "cert") === undefined) !== (str(values, "key") === undefined)) throw new UsageError("--cert and --key go together");
  const user = str(values, "login");
  if (user === undefined && str(values, "password") !== undefined) throw new UsageError("--password needs --login");
  const timeoutMs = seconds(str(values, "timeout"));
  const tlsPaths = { ca: str(values, "ca"), cert: str(values, "cert"), key: str(values, "key") };
  return {
    connect: {
      host: str(values, "host") ?? "127.0.0.1",
      port: port(str(values, "port")),
      tls: usesTls
        ? {
            ...(tlsPaths.ca ? { ca: tlsPaths.ca } : {}),
            ...(tlsPaths.cert ? { cert: tlsPaths.cert } : {}),
            ...(tlsPaths.key ? { key: tlsPaths.key } : {}),
            insecure: flag(values, "insecure"),
          }
        : false,
      timeoutMs,
    },
    client: {
      charset: charsetOption(str(values, "charset")),
      timeZone: timeZoneOption(str(values, "tz"), env),
      errorDetection: flag(values, "error-detection"),
      terminator: terminator(str(values, "terminator")),
      timeoutMs,
      retries: retries(str(values, "retries")),
    },
    context: {
      institution: str(values, "institution") ?? "",
      terminalPassword: str(values, "terminal-password") ?? "",
      location: str(values, "location") ?? "",
      login: user === undefined ? null : { user, password: str(values, "password") ?? "" },
      timeZone: timeZoneOption(str(values, "tz"), env),
    },
    json: flag(values, "json"),
    revealSecrets: flag(values, "reveal-secrets"),
  };
}
