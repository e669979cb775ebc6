/**
 * The console as its own process, as `pnpm start` runs it: `src/main.ts` from sources under
 * tsx, its settings from the environment, its JSON log lines into the stack's capture. The test
 * reaches its database directly only to add staff accounts, as the add-staff command does.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { ConsoleDatabase, ConsoleDb } from "../../src/db.js";

const PACKAGE = fileURLToPath(new URL("../../", import.meta.url));

/** What the tests use of a running console, in this process or its own. */
export interface ConsoleHandle {
  readonly url: string;
  readonly db: ConsoleDb;
  stop(): Promise<void>;
}

export async function startConsoleProcess(env: Record<string, string>, lines: string[]): Promise<ConsoleHandle> {
  const child = spawn(process.execPath, ["--conditions=@circulate/source", "--import", "tsx", "src/main.ts"], {
    cwd: PACKAGE,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (l) => stderr.push(l));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the console did not start within 60 s: ${stderr.join("\n")}`)), 60_000);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      lines.push(line);
      if (!line.includes('"console started"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { http: string }).http);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the console exited (${code}) before it started: ${stderr.join("\n")}`));
    });
  }).catch(async (err) => {
    await ended(child);
    throw err;
  });
  const db = new Kysely<ConsoleDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: env.CONSOLE_POSTGRES_URL, max: 2 }) }) });
  return {
    url,
    db,
    stop: async () => {
      await ended(child);
      await db.destroy();
    },
  };
}

/** SIGTERM (a graceful stop), SIGKILL after 15 s. */
async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}
