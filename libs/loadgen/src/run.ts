/**
 * A load run: N kiosks against one SIP2 server, bounded by a duration and a request
 * count, and the report of what they saw.
 */
import { performance } from "node:perf_hooks";
import { Budget } from "./budget.js";
import { Kiosk, type KioskConfig } from "./kiosk.js";
import { readCirculateProcesses } from "./proc-cpu.js";
import { buildReport, type LoadReport, Recorder } from "./report.js";

export interface LoadOptions extends Omit<KioskConfig, "kiosks"> {
  readonly kiosks: number;
  /** No new session starts after this long (sessions under way finish). */
  readonly durationMs: number;
  /** Largest number of requests of the run; undefined = no limit. */
  readonly maxRequests?: number;
  /** Called with the budget once the run starts, so a signal handler can stop it early. */
  readonly onStart?: (budget: Budget) => void;
  /** Where to read the Circulate processes' CPU time (default /proc). */
  readonly procRoot?: string;
}

/** The settings shown in the report: everything but the password. */
export function reportedConfig(o: LoadOptions): Record<string, unknown> {
  return {
    host: o.host,
    port: o.port,
    ...(o.ports ? { ports: o.ports } : {}),
    kiosks: o.kiosks,
    durationMs: o.durationMs,
    maxRequests: o.maxRequests ?? null,
    login: o.login,
    location: o.location,
    institution: o.institution,
    checkoutsPerSession: o.checkoutsPerSession,
    patrons: o.patrons,
    items: o.items,
    timeoutMs: o.timeoutMs,
    charset: o.codec.charset ?? "ibm850",
    timeZone: o.codec.timeZone,
  };
}

/** Runs the kiosks to the end of the budget and reports. */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const recorder = new Recorder();
  // The readings sit outside the loadgen's own CPU window: scanning /proc is not the kiosks' cost.
  const cpuStart = await readCirculateProcesses(options.procRoot);
  const ownStart = process.cpuUsage();
  const startedAt = new Date();
  const start = performance.now();
  const budget = new Budget(options.maxRequests ?? Number.POSITIVE_INFINITY, start + options.durationMs, () => performance.now());
  const kiosks = Array.from({ length: options.kiosks }, (_, i) => new Kiosk(i, options, budget, recorder));
  options.onStart?.(budget);
  await Promise.all(kiosks.map((k) => k.run()));
  const elapsedMs = performance.now() - start;
  const own = process.cpuUsage(ownStart);
  const cpuEnd = await readCirculateProcesses(options.procRoot);
  return buildReport(recorder, { startedAt, elapsedMs, config: reportedConfig(options), cpu: { start: cpuStart, end: cpuEnd, loadgenMicros: own.user + own.system } });
}
