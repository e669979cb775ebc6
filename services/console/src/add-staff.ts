import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { createPool, migrateDatabase } from "@circulate/eventstore";
import { ConfigError, readEnv } from "@circulate/runtime";
import { ensureDatabase } from "@circulate/service";
import { Kysely, PostgresDialect } from "kysely";
import { consoleMigrations } from "#migrations";
import { AuditLog, COMMAND_LINE_STAFF } from "./audit.js";
import { type ConsoleDatabase, ROLES, type Role } from "./db.js";
import { passwordProblem } from "./passwords.js";
import { createStaff, STAFF_NAME_PATTERN, StaffExistsError } from "./staff.js";

export const ADD_STAFF_USAGE =
  "usage: add-staff NAME [--role viewer|circulation|administrator]   (default administrator; the password is read from stdin, or asked for on a terminal)";

export interface CliIo {
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
}

/** The first line of a piped stdin. */
async function firstLine(stdin: Readable): Promise<string> {
  const lines = createInterface({ input: stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return "";
}

/** Asks on the terminal without echoing what is typed. */
function ask(io: CliIo, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    io.stderr.write(question);
    io.stdin.setRawMode?.(true);
    io.stdin.resume();
    let typed = "";
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003") return done(new Error("cancelled"));
        if (ch === "\u007f") typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    const done = (err?: Error) => {
      io.stdin.off("data", onData);
      io.stdin.setRawMode?.(false);
      io.stdin.pause();
      io.stderr.write("\n");
      if (err) reject(err);
      else resolve(typed);
    };
    io.stdin.on("data", onData);
  });
}

async function readPassword(io: CliIo): Promise<string> {
  if (!io.stdin.isTTY) return firstLine(io.stdin);
  const first = await ask(io, "password: ");
  const again = await ask(io, "again: ");
  if (first !== again) throw new UsageProblem("the two passwords differ");
  return first;
}

class UsageProblem extends Error {}

/**
 * `add-staff NAME [--role ROLE]`: creates a staff account in the console's
 * database (CONSOLE_POSTGRES_URL), for the first administrator above all.
 * Never takes the password as an argument (it would be in the shell's history
 * and the process list). Exit 0 created, 1 failed, 2 usage, 78 settings.
 */
export async function addStaff(argv: readonly string[], io: CliIo): Promise<number> {
  const e = readEnv(io.env);
  const postgresUrl = e.string("CONSOLE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/circulate_console");
  const createDatabase = e.bool("CREATE_DATABASES", true);
  try {
    e.done();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return 78;
  }
  let name: string;
  let role: Role;
  let password: string;
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: { role: { type: "string" } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageProblem("give one staff name");
    name = positionals[0]!;
    if (!new RegExp(STAFF_NAME_PATTERN).test(name)) throw new UsageProblem(`"${name}" is not a staff name (letters, digits, . _ @ -; up to 64)`);
    role = (values.role ?? "administrator") as Role;
    if (!ROLES.includes(role)) throw new UsageProblem(`--role must be one of ${ROLES.join(", ")}`);
    password = await readPassword(io);
    const problem = passwordProblem(password);
    if (problem) throw new UsageProblem(problem);
  } catch (err) {
    if (!(err instanceof UsageProblem) && !(err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw err;
    io.stderr.write(`add-staff: ${(err as Error).message}\n${ADD_STAFF_USAGE}\n`);
    return 2;
  }

  if (createDatabase) await ensureDatabase(postgresUrl);
  const db = new Kysely<ConsoleDatabase>({ dialect: new PostgresDialect({ pool: createPool({ connectionString: postgresUrl, max: 1 }) }) });
  try {
    await migrateDatabase(db, consoleMigrations);
    await createStaff(db, { name, role, password });
    // The running console's relay publishes it from the store, like its own events.
    await new AuditLog(db).record({ type: "StaffActionTaken", data: { staff: COMMAND_LINE_STAFF, role: "", action: "staff.create", target: `staff ${name} as ${role}`, result: "done" } });
    io.stdout.write(`staff account ${name} (${role}) created\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`add-staff: ${err instanceof StaffExistsError ? err.message : `could not create the account: ${(err as Error).message}`}\n`);
    return 1;
  } finally {
    await db.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await addStaff(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
}
