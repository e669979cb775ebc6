/**
 * `circulate-admin`: staff operations on a running deployment through the
 * services' admin gRPC APIs, until a staff console exists. Parsing, addresses
 * and exit codes here; the calls are in `patron-admin.ts`.
 */
import { parseArgs } from "node:util";
import type { ChannelCredentials } from "@grpc/grpc-js";
import { ConfigError, grpcTlsFiles, readEnv } from "@circulate/runtime";
import { grpcCredentials, SERVICE_PORTS } from "@circulate/service";
import { AdminCallError, unlockPatronPin } from "./patron-admin.js";

export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
}

/** Exit codes: 0 done, 1 the service refused or did not answer, 2 usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const USAGE = `usage: circulate-admin <area> <action> [options]

  patron unlock-pin --institution ID --patron BARCODE --staff NAME
      Lifts a patron's PIN lock (too many wrong PINs) and resets the count,
      keeping the PIN. Recorded as a PinUnlocked event naming --staff.
      Prints the patron as the service holds it after the unlock (JSON).

  --patron-grpc HOST:PORT   patron service; default the env PATRON_GRPC_ADDRESS
                            or 127.0.0.1:${SERVICE_PORTS.patron.grpc}
  --timeout-ms N            give up after N ms (default 10000)

exit codes: 0 done, 1 the service refused or did not answer, 2 usage error`;

class UsageError extends Error {}

interface UnlockPinArgs {
  readonly institution: string;
  readonly barcode: string;
  readonly staff: string;
  readonly address: string;
  readonly timeoutMs: number;
}

/** The command line as a request; throws UsageError naming what is wrong. */
export function parseCommand(argv: readonly string[], env: CliIo["env"]): UnlockPinArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      institution: { type: "string" },
      patron: { type: "string" },
      staff: { type: "string" },
      "patron-grpc": { type: "string" },
      "timeout-ms": { type: "string" },
    },
  });
  const [area, action, ...rest] = positionals;
  if (area !== "patron" || action !== "unlock-pin" || rest.length > 0) {
    throw new UsageError(`unknown command: ${positionals.join(" ") || "(none)"}`);
  }
  const missing = (["institution", "patron", "staff"] as const).filter((k) => !values[k]?.trim());
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(", ")}`);
  const timeout = values["timeout-ms"] === undefined ? 10_000 : Number(values["timeout-ms"]);
  if (!Number.isInteger(timeout) || timeout < 1) throw new UsageError(`--timeout-ms must be a positive whole number`);
  return {
    institution: values.institution!.trim(),
    barcode: values.patron!.trim(),
    staff: values.staff!.trim(),
    address: values["patron-grpc"] || env.PATRON_GRPC_ADDRESS || `127.0.0.1:${SERVICE_PORTS.patron.grpc}`,
    timeoutMs: timeout,
  };
}

/** Runs the command with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  let args: UnlockPinArgs;
  let credentials: ChannelCredentials;
  try {
    args = parseCommand(argv, io.env);
    const env = readEnv(io.env);
    const tls = grpcTlsFiles(env);
    env.done();
    credentials = grpcCredentials(tls).client();
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`circulate-admin: ${err.message}\n`);
      return EXIT.usage;
    }
    if (!(err instanceof UsageError) && !(err instanceof TypeError)) throw err;
    io.stderr.write(`circulate-admin: ${err.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  try {
    const patron = await unlockPatronPin(args.address, { institutionId: args.institution, barcode: args.barcode }, args.staff, args.timeoutMs, credentials);
    io.stdout.write(`${JSON.stringify(patron, null, 2)}\n`);
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof AdminCallError)) throw err;
    io.stderr.write(`circulate-admin: ${err.message}\n`);
    return EXIT.failed;
  }
}
