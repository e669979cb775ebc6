import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chooseLibrary, type LibraryChoice, UsageError } from "./library.js";

/** pino's levels: what every process accepts in LOG_LEVEL. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export const USAGE = "usage: pnpm start [--library FILE|DIR | --no-demo] [--keep] [--log-level fatal|error|warn|info|debug|trace|silent]";

const OPTIONS = {
  library: { type: "string" },
  "no-demo": { type: "boolean" },
  keep: { type: "boolean" },
  "log-level": { type: "string" },
} as const;

export interface StartSettings {
  readonly logLevel: string;
  readonly choice: LibraryChoice;
}

/** A URL variable start probes itself; its value is never echoed, as it may hold a password. */
function urlProblem(name: string, value: string | undefined, protocols: readonly string[]): string | undefined {
  if (value === undefined || value === "") return undefined;
  const expected = `${name} must be a ${protocols[0]}//host[:port] URL (${protocols.join(" or ")})`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${expected}; it is not a URL (is the port a number from 1 to 65535?)`;
  }
  if (!protocols.includes(url.protocol)) return `${expected}, not ${url.protocol}`;
  if (url.hostname === "") return `${expected}; it names no host`;
  if (url.port === "0") return `${name}: port 0 is not a port to connect to`;
  return undefined;
}

/**
 * The flags and variables of `pnpm start`, checked before anything is started or reset.
 * Throws a UsageError naming every problem at once.
 */
export function readStartSettings(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): StartSettings {
  const problems: string[] = [];
  const { values, tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind === "positional") problems.push(`unexpected argument ${JSON.stringify(t.value)}`);
    if (t.kind !== "option") continue;
    const known = OPTIONS[t.name as keyof typeof OPTIONS];
    if (!known) problems.push(`unknown option ${t.rawName}`);
    else if (known.type === "boolean" && t.value !== undefined) problems.push(`${t.rawName} takes no value`);
    else if (known.type === "string" && (t.value === undefined || (!t.inlineValue && t.value.startsWith("-")))) problems.push(`${t.rawName} needs a value`);
  }
  const text = (name: string) => (typeof values[name] === "string" && !(values[name] as string).startsWith("-") ? (values[name] as string) : undefined);

  const flagLevel = text("log-level");
  const logLevel = flagLevel ?? (env.LOG_LEVEL || "info");
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`${flagLevel === undefined ? "LOG_LEVEL:" : "--log-level"} ${JSON.stringify(logLevel)} is not one of ${LOG_LEVELS.join(", ")}`);
  }

  // pnpm runs the script from the repository root: a relative --library is the caller's.
  const given = text("library");
  const library = given === undefined || given === "" ? given : path.resolve(cwd, given);
  if (library && !existsSync(library)) problems.push(`--library ${given}: no such file or directory`);
  else if (library && statSync(library).isDirectory() && !existsSync(path.join(library, "library.json"))) problems.push(`--library ${given}: a directory needs a library.json`);

  for (const p of [urlProblem("POSTGRES_URL", env.POSTGRES_URL, ["postgres:", "postgresql:"]), urlProblem("NATS_URL", env.NATS_URL, ["nats:", "tls:"])]) {
    if (p) problems.push(p);
  }

  let choice: LibraryChoice | undefined;
  try {
    choice = chooseLibrary({ library, noDemo: values["no-demo"] === true, keep: values.keep === true }, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0 || choice === undefined) throw new UsageError(problems);
  return { logLevel, choice };
}
