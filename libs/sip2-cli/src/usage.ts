/**
 * Usage errors and the option readers every subcommand shares. A {@link UsageError} makes
 * `runCli` print the command's usage and exit {@link EXIT_USAGE}.
 */
import { type Charset, isValidTimeZone, normalizeCharset } from "@circulate/sip2";

/** Exit code for a usage error (unknown command/option, bad option value). */
export const EXIT_USAGE = 2;

/** A bad command line: the message is shown above the command's usage. */
export class UsageError extends Error {}

/** The host's time zone, for commands that read SIP dates (overridable with --tz or SIP2_TZ). */
export function defaultTimeZone(env: Record<string, string | undefined>): string {
  return env.SIP2_TZ || Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `--charset`: any name {@link normalizeCharset} knows (ibm850, cp850, utf-8, iso-8859-1, …). */
export function charsetOption(value: string | undefined): Charset {
  const charset = normalizeCharset(value ?? "ibm850");
  if (!charset) throw new UsageError(`unknown charset ${JSON.stringify(value)} (use ibm850, utf8 or latin1)`);
  return charset;
}

/** `--tz`: an IANA zone, else SIP2_TZ, else the machine's zone. */
export function timeZoneOption(value: string | undefined, env: Record<string, string | undefined>): string {
  const tz = value ?? defaultTimeZone(env);
  if (!isValidTimeZone(tz)) throw new UsageError(`unknown time zone ${JSON.stringify(tz)} (use an IANA name such as Europe/Oslo)`);
  return tz;
}

/** Exit code when the connection fails or no response arrives in time. */
export const EXIT_NETWORK = 1;
