/**
 * `circulate-loadgen`: argument parsing, the loopback rule, library writing and
 * output. The work is {@link runLoad} and {@link generateLibrary}.
 */
import { mkdir, writeFile } from "node:fs/promises";
import net from "node:net";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { type Charset, checkCodecOptions, isValidTimeZone, normalizeCharset } from "@circulate/sip2";
import type { Budget } from "./budget.js";
import { generateLibrary, LIBRARY_INSTITUTION, LIBRARY_PIN, libraryJson } from "./library.js";
import { formatReport } from "./report.js";
import { type LoadOptions, runLoad } from "./run.js";

export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
  /** Receives the run's budget (main.ts stops it on Ctrl-C). */
  onStart?: (budget: Budget) => void;
}

/** 0: run without errors (or library written); 1: errors seen or nothing answered; 2: usage. */
export const EXIT = { ok: 0, errors: 1, usage: 2 } as const;

export const DEFAULTS = {
  host: "127.0.0.1",
  port: 6001,
  kiosks: 16,
  duration: "30s",
  login: "kiosk1",
  password: "kiosk1pw",
  institution: LIBRARY_INSTITUTION,
  checkoutsPerSession: 3,
  patrons: 10_000,
  items: 100_000,
  timeout: "5s",
  report: ".reports/loadgen.json",
} as const;

export const USAGE = `usage: circulate-loadgen [options]
       circulate-loadgen --write-library FILE [--patrons N] [--items M] [--seed S]

Runs simulated SIP2 kiosks against a running stack (loopback only): each kiosk
logs in (93), sends 99, then loops over patron sessions — 23, several 11
checkouts, 63, 35 — and checks the items back in (09). Prints throughput and
p50/p95/p99 latency per message type and the errors, and writes a JSON report.

  --host HOST              SIP2 server (default ${DEFAULTS.host}; must be loopback)
  --port PORT[,PORT…]      (default ${DEFAULTS.port}); several gateways' ports spread the kiosks over them
  --kiosks N               concurrent kiosks, one connection each (default ${DEFAULTS.kiosks})
  --duration D             no new session after D: 500ms, 30s, 2m (default ${DEFAULTS.duration})
  --max-requests N         stop before more than N requests in all
  --login ID --password PW terminal account (default ${DEFAULTS.login} / ${DEFAULTS.password})
  --location LOC           93 CP and 09 AP (default the institution)
  --institution ID         AO of patron requests (default ${DEFAULTS.institution})
  --pin PIN                patron PIN (default ${LIBRARY_PIN}, as in the generated library)
  --checkouts-per-session K (default ${DEFAULTS.checkoutsPerSession})
  --patrons N --items M    size of the loaded library (default ${DEFAULTS.patrons} / ${DEFAULTS.items})
  --timeout D              per request (default ${DEFAULTS.timeout})
  --charset C --tz ZONE    codec of the terminal account (default ibm850, SIP2_TZ or this machine's zone)
  --report FILE            JSON report (default ${DEFAULTS.report})
  --write-library FILE     write a library of --patrons and --items for circulate-import and exit
  --seed S                 seed of the generated names and titles (default 1)

exit codes: 0 no errors, 1 errors seen (or nothing answered), 2 usage error`;

class UsageError extends Error {}

/** Whether `host` is a loopback name or address (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost") return true;
  if (net.isIPv4(h)) return h.startsWith("127.");
  if (net.isIPv6(h)) return h === "::1" || h === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(h);
  return false;
}

/** `500ms`, `30s`, `2m`, `1h` or a bare number of seconds, in milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  const ms = m ? Number(m[1]) * unit[(m[2] ?? "s") as keyof typeof unit] : Number.NaN;
  if (!(ms > 0 && ms <= 86_400_000)) throw new UsageError(`${flag} ${JSON.stringify(text)} is not a duration such as 500ms, 30s or 2m (at most 24h)`);
  return ms;
}

function whole(text: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

type Values = ReturnType<typeof parse>["values"];

/** `--port 6001` or `--port 6001,6002`: the first is the port, several spread the kiosks. */
function ports(text: string | undefined): { port: number; ports?: readonly number[] } {
  const all = (text ?? String(DEFAULTS.port)).split(",").map((p) => whole(p, "--port", DEFAULTS.port, 1, 65535));
  return all.length === 1 ? { port: all[0]! } : { port: all[0]!, ports: all };
}

/** The load options from the flags; throws UsageError on any bad value. */
export function loadOptions(values: Values, env: CliIo["env"]): LoadOptions {
  const host = values.host ?? DEFAULTS.host;
  if (!isLoopback(host)) throw new UsageError(`--host ${host} is not a loopback address: the load generator only runs against this machine (127.0.0.1, ::1, localhost)`);
  const charset: Charset | undefined = normalizeCharset(values.charset ?? "ibm850");
  if (!charset) throw new UsageError(`unknown charset ${JSON.stringify(values.charset)} (use ibm850, utf8 or latin1)`);
  const timeZone = values.tz ?? (env.SIP2_TZ || Intl.DateTimeFormat().resolvedOptions().timeZone);
  if (!isValidTimeZone(timeZone)) throw new UsageError(`unknown time zone ${JSON.stringify(timeZone)} (use an IANA name such as America/New_York)`);
  const codec = { charset, timeZone };
  const problem = checkCodecOptions(codec);
  if (problem) throw new UsageError(problem);
  const kiosks = whole(values.kiosks, "--kiosks", DEFAULTS.kiosks, 1, 1000);
  const checkoutsPerSession = whole(values["checkouts-per-session"], "--checkouts-per-session", DEFAULTS.checkoutsPerSession, 0, 100);
  const patrons = whole(values.patrons, "--patrons", DEFAULTS.patrons, 1, 10_000_000);
  const items = whole(values.items, "--items", DEFAULTS.items, 1, 10_000_000);
  if (patrons < kiosks) throw new UsageError(`--patrons ${patrons} is fewer than --kiosks ${kiosks}: every kiosk needs patrons of its own`);
  if (items < kiosks * checkoutsPerSession) throw new UsageError(`--items ${items} is fewer than kiosks × checkouts per session (${kiosks * checkoutsPerSession}): every kiosk needs items of its own`);
  const institution = values.institution ?? DEFAULTS.institution;
  return {
    host,
    ...ports(values.port),
    codec,
    kiosks,
    durationMs: parseDuration(values.duration ?? DEFAULTS.duration, "--duration"),
    ...(values["max-requests"] !== undefined ? { maxRequests: whole(values["max-requests"], "--max-requests", 0, 1, 1_000_000_000) } : {}),
    login: values.login ?? DEFAULTS.login,
    password: values.password ?? DEFAULTS.password,
    location: values.location ?? institution,
    institution,
    pin: values.pin ?? LIBRARY_PIN,
    checkoutsPerSession,
    patrons,
    items,
    timeoutMs: parseDuration(values.timeout ?? DEFAULTS.timeout, "--timeout"),
    reconnectDelayMs: 250,
  };
}

async function write(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** Runs the command with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values } = parse(argv);
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (values["write-library"] !== undefined) {
      const patrons = whole(values.patrons, "--patrons", DEFAULTS.patrons, 0, 10_000_000);
      const items = whole(values.items, "--items", DEFAULTS.items, 0, 10_000_000);
      const seed = whole(values.seed, "--seed", 1, 0, 2 ** 32 - 1);
      await write(values["write-library"], libraryJson(generateLibrary({ patrons, items, seed })));
      io.stdout.write(`wrote ${values["write-library"]}: ${patrons} patrons, ${items} items (load it with circulate-import)\n`);
      return EXIT.ok;
    }
    const options = loadOptions(values, io.env);
    io.stderr.write(`circulate-loadgen: ${options.kiosks} kiosks → ${options.host}:${options.port} for ${options.durationMs / 1000} s${options.maxRequests ? ` or ${options.maxRequests} requests` : ""}\n`);
    const report = await runLoad({ ...options, ...(io.onStart ? { onStart: io.onStart } : {}) });
    const reportPath = values.report ?? DEFAULTS.report;
    await write(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    io.stdout.write(formatReport(report));
    io.stdout.write(`report: ${reportPath}\n`);
    const failed = report.totals.errors > 0 || report.connections.failed > 0 || report.totals.ok === 0;
    return failed ? EXIT.errors : EXIT.ok;
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr.write(`circulate-loadgen: ${(err as Error).message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

const STRING_FLAGS = [
  "host",
  "port",
  "kiosks",
  "duration",
  "max-requests",
  "login",
  "password",
  "location",
  "institution",
  "pin",
  "checkouts-per-session",
  "patrons",
  "items",
  "timeout",
  "charset",
  "tz",
  "report",
  "write-library",
  "seed",
] as const;

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: { ...(Object.fromEntries(STRING_FLAGS.map((f) => [f, { type: "string" }])) as Record<(typeof STRING_FLAGS)[number], { type: "string" }>), help: { type: "boolean", short: "h" } },
    strict: true,
    allowPositionals: false,
  });
}
