/**
 * `pnpm bench:import [--items N]`: generates a library of N items (default a
 * million) as CSV in a temporary directory, starts the services it needs on
 * databases and streams of their own, runs `circulate-import` against them as
 * a child process, and prints the total time, records/s, the importer's peak
 * resident memory (VmHWM), the progress lines it printed, and how long after
 * it every event was on its stream and in every service's copy. Removes the
 * directory, databases and streams at the end, also when the import fails.
 *
 * Postgres and NATS: POSTGRES_URL and NATS_URL, default the local ones.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { ImportSummary } from "../src/adapters/grpc.js";
import { formatCount, formatDuration } from "../src/progress.js";
import { writeBenchLibrary } from "./library.js";
import { type BenchStack, startBenchStack } from "./stack.js";

const IMPORT_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

/** Peak resident set of a running process in bytes (Linux), undefined once it is gone. */
async function peakRss(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : undefined;
}

interface ImportRun {
  code: number | null;
  stdout: string;
  stderr: string;
  peakRssBytes: number;
  ms: number;
}

/** The command as an operator runs it (from source), stderr not a terminal: progress as plain lines. */
function runImporter(dir: string, addresses: Record<string, string>, extra: readonly string[]): Promise<ImportRun> {
  const flags = [...Object.entries(addresses).flatMap(([s, a]) => [`--${s}`, a]), ...extra];
  const started = performance.now();
  const child = spawn(process.execPath, ["--conditions=@circulate/source", "--import", "tsx", IMPORT_MAIN, dir, ...flags], {
    cwd: PACKAGE_DIR,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LOG_LEVEL: "warn" },
  });
  let stdout = "";
  let stderr = "";
  let peak = 0;
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    process.stdout.write(d.toString().replace(/^(?=.)/gm, "  | "));
  });
  // VmHWM is the peak so far: the last reading before the process ends is the figure (sampled often enough to be close).
  const sampler = setInterval(() => {
    if (child.pid) void peakRss(child.pid).then((b) => (peak = Math.max(peak, b ?? 0)));
  }, 200);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(sampler);
      resolve({ code, stdout, stderr, peakRssBytes: peak, ms: performance.now() - started });
    });
  });
}

/**
 * Milliseconds from now until no event waits for a relay or a consumer: the
 * import's answers come once the items are stored, and their events reach the
 * streams and the other services' copies (the loan service's items) after.
 */
async function untilSettled(stack: BenchStack): Promise<number> {
  const started = performance.now();
  let said = started;
  for (;;) {
    const { relays, consumers } = await stack.backlog();
    if (relays === 0 && consumers === 0) return performance.now() - started;
    if (performance.now() - said >= 10_000) {
      said = performance.now();
      console.log(`  | settling: ${formatCount(relays)} events to publish, ${formatCount(consumers)} to apply`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { items: { type: "string", default: "1000000" }, "batches-in-flight": { type: "string" } }, strict: true });
  const items = Number(values.items);
  if (!Number.isInteger(items) || items < 1) throw new Error(`--items ${values.items}: give a whole number of items`);
  const backends = { postgresUrl: process.env.POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres", natsUrl: process.env.NATS_URL ?? "nats://127.0.0.1:4222" };

  const dir = await mkdtemp(join(tmpdir(), "circulate-import-bench-"));
  let t = performance.now();
  const { records } = await writeBenchLibrary(dir, items);
  console.log(`generated ${formatCount(items)} items (${formatCount(records)} records in all) in ${formatDuration((performance.now() - t) / 1000)}: ${dir}`);
  t = performance.now();
  const stack = await startBenchStack(backends);
  console.log(`patron, item, loan and fee services started on databases and streams of their own in ${formatDuration((performance.now() - t) / 1000)}`);
  // Interrupted: still remove what the run made (the importer child gets the same signal from the terminal).
  const interrupted = (signal: NodeJS.Signals) => {
    void stack.stop().finally(() => rm(dir, { recursive: true, force: true }).finally(() => process.kill(process.pid, signal)));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    console.log("circulate-import progress (stderr):");
    const inFlight = values["batches-in-flight"];
    const run = await runImporter(dir, stack.addresses, inFlight ? ["--batches-in-flight", inFlight] : []);
    if (run.code !== 0) {
      console.log(`circulate-import exited ${run.code}:\n${run.stderr}\nservices' last lines:\n${stack.logTail()}`);
      return 1;
    }
    const summary = JSON.parse(run.stdout) as ImportSummary;
    const seconds = run.ms / 1000;
    const settled = await untilSettled(stack);
    console.log(
      [
        "",
        `items:       ${formatCount(items)} (created ${formatCount(summary.items.created)}, updated ${formatCount(summary.items.updated)}, unchanged ${formatCount(summary.items.unchanged)})`,
        `total time:  ${formatDuration(seconds)} (${seconds.toFixed(1)} s, the importer process from start to exit)`,
        `records/s:   ${formatCount(records / seconds)}`,
        `peak RSS:    ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB (VmHWM of the importer process)`,
        `settled:     ${formatDuration(settled / 1000)} after the import ended, every event was on its stream and in every service's copy`,
      ].join("\n"),
    );
    return 0;
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
    console.log("removed the library, the services' databases and their streams");
  }
}

process.exitCode = await main();
