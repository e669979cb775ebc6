/**
 * `pnpm start`: backing services (found or started), the five services, the
 * demo library, the SIP2 gateway and the staff console's API, in one terminal.
 * Ctrl-C stops it all.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { type Backing, MissingBackend, natsBacking, postgresBacking } from "./backends.js";
import { resetNamespace } from "./demo-reset.js";
import { UsageError } from "./library.js";
import { logSink } from "./log-sink.js";
import { consolePlan, gatewayPlan, importPlan, servicePlan } from "./plan.js";
import { type Supervised, Supervisor } from "./processes.js";
import { readStartSettings, type StartSettings, USAGE } from "./settings.js";

const root = path.resolve(import.meta.dirname, "../../..");
const stateDir = path.join(root, ".circulate");
const say = (line: string) => process.stderr.write(`[start] ${line}\n`);

/** The flags and variables; wrong ones stop here, every one named, before anything is started or reset. */
function readCommandLine(): StartSettings {
  try {
    return readStartSettings(process.argv.slice(2), process.env, process.env.INIT_CWD ?? process.cwd());
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    say(`nothing was started:\n  ${err.problems.join("\n  ")}\n${USAGE}`);
    process.exit(2);
  }
}
const { logLevel, choice } = readCommandLine();

const backings: Backing[] = [];
// A process that dies after it was ready is restarted with backoff; the others keep serving.
const supervisor = new Supervisor(root, { sink: logSink(process.stdout.isTTY === true), say });
let shuttingDown = false;

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  say("stopping…");
  await supervisor.stopAll();
  for (const b of backings.reverse()) await b.stop().catch((err: Error) => say(`stopping a backing service: ${err.message}`));
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function runToEnd(p: Supervised): Promise<void> {
  const how = await p.exited;
  if (how !== "exit code 0") throw new Error(`${p.spec.name} failed (${how}; see its output above)`);
}

try {
  const pg = await postgresBacking(process.env, stateDir);
  backings.push(pg);
  say(`Postgres: ${pg.origin}`);
  const nats = await natsBacking(process.env, stateDir);
  backings.push(nats);
  say(`NATS: ${nats.origin}`);

  const settings = { postgresUrl: pg.url, natsUrl: nats.url, logLevel, namespace: choice.namespace };
  if (choice.reset) {
    const removed = await resetNamespace(settings);
    say(`demo reset: ${removed.databases.length} databases dropped, ${removed.streams.length} streams deleted (keep them with --keep or CIRCULATE_KEEP_DEMO=true)`);
  } else if (choice.kind === "demo") {
    say("demo kept as the last start left it (--keep)");
  }
  const services = servicePlan(settings).map((spec) => supervisor.start(spec));
  await Promise.all(services.map((p) => supervisor.ready(p, 90_000)));
  say("the five services are ready (migrations applied)");

  if (choice.importFrom) {
    await runToEnd(supervisor.start(importPlan(settings, choice.importFrom)));
    say(`${choice.kind === "demo" ? "demo library" : "your library"} loaded from ${choice.importFrom}`);
  }
  const gateway = gatewayPlan(settings);
  await supervisor.ready(supervisor.start(gateway), 60_000);
  say(`SIP2 listening on ${gateway.env.SIP2_HOST}:${gateway.env.SIP2_PORT} (plain TCP); health and metrics on http://127.0.0.1:${gateway.readyPort}`);
  // The console serves its page from the package's build; a fresh clone has none yet.
  if (!existsSync(path.join(root, "services/console/dist/web/index.html"))) {
    say("building the staff console's web page (once)");
    execFileSync("pnpm", ["--filter", "@circulate/console", "build:web"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  }
  const staffConsole = consolePlan(settings);
  await supervisor.ready(supervisor.start(staffConsole), 60_000);
  say(`staff console on http://${staffConsole.env.CONSOLE_HTTP_HOST}:${staffConsole.env.CONSOLE_HTTP_PORT}/ (API under /api; database ${new URL(staffConsole.env.CONSOLE_POSTGRES_URL!).pathname.slice(1)}); add the first administrator with pnpm --filter @circulate/console add-staff NAME (see services/console/README.md)`);
  say("demo accounts: kiosk1/kiosk1pw (MAIN), kiosk2/kiosk2pw (EAST), sorter1/sorter1pw (checkin only); every demo patron's PIN is 1234");
  say(`try: pnpm sip2 checkout --login kiosk1 --password kiosk1pw --patron P0001 --pin 1234 --item I0001`);
  say("Ctrl-C stops everything");
} catch (err) {
  say(err instanceof MissingBackend ? err.message : `could not start: ${(err as Error).message}`);
  await shutdown(1);
}
