/**
 * `circulate-import`: argument parsing, service addresses, exit codes. The work
 * is {@link runImport}; this file only wires options and output.
 */
import { parseArgs } from "node:util";
import { ConfigError, grpcTlsFiles, readEnv } from "@circulate/runtime";
import { grpcCredentials, SERVICE_PORTS } from "@circulate/service";
import type { ServiceAddresses } from "./adapters/grpc.js";
import { ImportCallError } from "./adapters/grpc.js";
import { InputFileError, loadImportInput } from "./load.js";
import { InvalidImportError } from "./problems.js";
import { progressOutput } from "./progress-output.js";
import { runImport } from "./run.js";

export interface CliIo {
  stdout: { write(chunk: string): unknown };
  /** Progress goes here: one line rewritten in place on a terminal, a line every few seconds otherwise. */
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
}

/** Exit codes: 0 loaded (or valid with --dry-run), 1 a service call failed, 2 usage, 3 invalid input (nothing sent). */
export const EXIT = { ok: 0, failed: 1, usage: 2, invalid: 3 } as const;

/** Default gRPC ports of the services on one machine: the ones the services listen on by default. */
export const DEFAULT_PORTS: Readonly<Record<keyof ServiceAddresses, number>> = {
  patron: SERVICE_PORTS.patron.grpc,
  item: SERVICE_PORTS.item.grpc,
  loan: SERVICE_PORTS.loan.grpc,
  fee: SERVICE_PORTS.fee.grpc,
  hold: SERVICE_PORTS.hold.grpc,
};

const SERVICES = ["patron", "item", "loan", "fee", "hold"] as const;

export const USAGE = `usage: circulate-import <library.json | directory> [options]

Loads institutions, patron types, loan rules, calendars, patrons, items, loans,
holds and charges (docs/import.md) through the services' admin gRPC APIs, in
dependency order. The whole input is validated first: on any problem nothing is
sent and the problems are listed (the first 1,000, and how many in all).
Re-running updates and never duplicates. Files are read as streams, so a
million items take no more memory than a thousand.
A directory means its library.json plus patrons.csv and items.csv when present.
Progress goes to stderr (one updating line on a terminal, a line every few
seconds otherwise); a JSON summary (created / updated / unchanged per section)
goes to stdout.

  --patrons-csv FILE   patrons as CSV (header row; docs/import.md lists the columns)
  --items-csv FILE     items as CSV
  --time-zone ZONE     IANA zone for institutions not in the document
                       (relative dates are read in each institution's zone)
  --today YYYY-MM-DD   load as if today were this date (tests, rehearsals)
  --dry-run            validate only; send nothing
  --batches-in-flight N
                       batches of 500 patrons or items sent at once (default 4):
                       the services write them side by side
  --patron, --item, --loan, --fee, --hold HOST:PORT
                       service addresses; default the env PATRON_GRPC_ADDRESS,
                       ITEM_GRPC_ADDRESS, … or 127.0.0.1:7101 … 7105

exit codes: 0 done, 1 a service call failed, 2 usage error, 3 invalid input`;

class UsageError extends Error {}

export function addressesFrom(values: Record<string, unknown>, env: CliIo["env"]): ServiceAddresses {
  const pick = (name: (typeof SERVICES)[number]) => {
    const v = values[name];
    return (typeof v === "string" && v) || env[`${name.toUpperCase()}_GRPC_ADDRESS`] || `127.0.0.1:${DEFAULT_PORTS[name]}`;
  };
  return { patron: pick("patron"), item: pick("item"), loan: pick("loan"), fee: pick("fee"), hold: pick("hold") };
}

function nowFrom(today: string | undefined): Date {
  if (today === undefined) return new Date();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(`${today}T12:00:00Z`))) throw new UsageError(`--today ${JSON.stringify(today)} is not a date YYYY-MM-DD`);
  // Noon UTC is the same calendar day in every zone from UTC-11 to UTC+11.
  return new Date(`${today}T12:00:00Z`);
}

/** Runs the command with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    io.stderr.write(`circulate-import: ${(err as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const progress = progressOutput(io.stderr);
  try {
    if (positionals.length !== 1) throw new UsageError("give one input: a JSON document or a directory");
    const input = await loadImportInput(positionals[0]!, {
      ...(values["patrons-csv"] ? { patronsCsv: values["patrons-csv"] } : {}),
      ...(values["items-csv"] ? { itemsCsv: values["items-csv"] } : {}),
    });
    const inFlight = values["batches-in-flight"];
    if (inFlight !== undefined && !/^[1-9]\d{0,2}$/.test(inFlight)) throw new UsageError(`--batches-in-flight ${JSON.stringify(inFlight)} is not a number from 1 to 999`);
    const timeZone = values["time-zone"] ?? io.env.CIRCULATE_IMPORT_TIME_ZONE;
    const env = readEnv(io.env);
    const tls = grpcTlsFiles(env);
    env.done();
    const { summary, records } = await runImport(input, {
      addresses: addressesFrom(values, io.env),
      now: nowFrom(values.today),
      ...(timeZone ? { defaultTimeZone: timeZone } : {}),
      dryRun: values["dry-run"] === true,
      credentials: grpcCredentials(tls).client(),
      onProgress: (p) => progress.show(p),
      ...(inFlight ? { batchesInFlight: Number(inFlight) } : {}),
    });
    progress.end();
    io.stdout.write(`${JSON.stringify(summary ?? { valid: true, records }, null, 2)}\n`);
    return EXIT.ok;
  } catch (err) {
    progress.end();
    if (err instanceof ConfigError) {
      io.stderr.write(`circulate-import: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`circulate-import: ${err.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    if (err instanceof InvalidImportError || err instanceof InputFileError) {
      io.stderr.write(`circulate-import: ${err.message}\n`);
      return EXIT.invalid;
    }
    if (err instanceof ImportCallError) {
      io.stderr.write(`circulate-import: ${err.message}\n(the steps before it were applied; fix the cause and run the import again)\n`);
      return EXIT.failed;
    }
    throw err;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      "patrons-csv": { type: "string" },
      "items-csv": { type: "string" },
      "time-zone": { type: "string" },
      today: { type: "string" },
      "dry-run": { type: "boolean" },
      "batches-in-flight": { type: "string" },
      help: { type: "boolean", short: "h" },
      ...Object.fromEntries(SERVICES.map((s) => [s, { type: "string" as const }])),
    } as const,
    strict: true,
    allowPositionals: true,
  });
}
