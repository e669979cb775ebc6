/**
 * Counting and reporting, pure: a {@link Recorder} collects one entry per request
 * (message type, outcome, latency); {@link buildReport} turns it into the JSON
 * report and {@link formatReport} into the terminal table.
 */
import { messageDef } from "@circulate/sip2";
import { type CpuMeasurement, type CpuReport, cpuReport, formatCpu } from "./proc-cpu.js";

/**
 * Why a request got no usable answer. `resend`: the server sent 96 (it could not
 * read the request); `timeout`: no complete frame within the timeout; `closed`: the
 * connection ended or failed while waiting; `bad_response`: unparseable or the wrong
 * message code; `bad_checksum`: AZ missing or wrong; `sequence`: AY does not echo ours.
 */
export const ERROR_KINDS = ["resend", "timeout", "closed", "bad_response", "bad_checksum", "sequence"] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** `ok`: the server did it; `refused`: a well-formed no (ok=0, invalid patron…); else an error. */
export type Outcome = "ok" | "refused" | ErrorKind;

/** The request codes a kiosk sends, in session order (the report's row order). */
export const REQUEST_ORDER = ["93", "99", "23", "11", "63", "35", "09"] as const;

/** Latency statistics in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Counts of one message type (or of all). `requests` = ok + refused + errors. */
export interface TypeReport {
  /** The request code ("11"), or "all" for the totals. */
  readonly code: string;
  readonly name: string;
  readonly requests: number;
  readonly ok: number;
  readonly refused: number;
  readonly errors: number;
  readonly errorsByKind: Record<ErrorKind, number>;
  /** Requests of this type per second of the run. */
  readonly throughput: number;
  /** Over answered requests (ok and refused); null when none was answered. */
  readonly latencyMs: LatencySummary | null;
}

/** The JSON report. */
export interface LoadReport {
  readonly tool: "circulate-loadgen";
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly elapsedSeconds: number;
  /** The run's settings (never the password). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly totals: TypeReport;
  /** One entry per request code, in session order (an array: JSON objects reorder numeric keys). */
  readonly byType: readonly TypeReport[];
  readonly sessions: { readonly completed: number };
  readonly connections: { readonly opened: number; readonly failed: number; readonly lastFailure: string | null };
  /** Items a kiosk borrowed but could not return (its connection broke); they stay on loan. */
  readonly itemsLeftOnLoan: number;
  /** Kiosks that gave up, with the reason (e.g. login refused). */
  readonly stoppedKiosks: readonly { readonly kiosk: number; readonly reason: string }[];
  /** CPU of the Circulate processes and of the load generator per answered request; null when the run did not measure it. */
  readonly cpu: CpuReport | null;
}

interface TypeCounts {
  latencies: number[];
  ok: number;
  refused: number;
  errors: Record<ErrorKind, number>;
}

const noErrors = (): Record<ErrorKind, number> => Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<ErrorKind, number>;

/** Collects the outcome of every request of a run; shared by all kiosks (one event loop). */
export class Recorder {
  readonly #types = new Map<string, TypeCounts>();
  sessions = 0;
  connectionsOpened = 0;
  connectionsFailed = 0;
  lastConnectionFailure: string | null = null;
  itemsLeftOnLoan = 0;
  readonly stoppedKiosks: { kiosk: number; reason: string }[] = [];

  /** One request: its type (request code), outcome and, when answered, latency in ms. */
  record(code: string, outcome: Outcome, latencyMs: number | null): void {
    let t = this.#types.get(code);
    if (!t) {
      t = { latencies: [], ok: 0, refused: 0, errors: noErrors() };
      this.#types.set(code, t);
    }
    if (outcome === "ok") t.ok++;
    else if (outcome === "refused") t.refused++;
    else t.errors[outcome]++;
    if ((outcome === "ok" || outcome === "refused") && latencyMs !== null) t.latencies.push(latencyMs);
  }

  connectFailed(reason: string): void {
    this.connectionsFailed++;
    this.lastConnectionFailure = reason;
  }

  /** The counts per request code (live; do not mutate). */
  get types(): ReadonlyMap<string, Readonly<TypeCounts>> {
    return this.#types;
  }
}

const round = (n: number, digits = 3) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/**
 * Nearest-rank percentile of ascending `sorted` values: the smallest value with at
 * least `q` of the values at or below it. `q` in (0, 1].
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Mean, p50, p95, p99 and max of `values` (any order); null when empty. */
export function summarize(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    mean: round(sum / sorted.length),
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1]!),
  };
}

function typeReport(code: string, name: string, counts: readonly TypeCounts[], seconds: number): TypeReport {
  const errorsByKind = noErrors();
  let ok = 0;
  let refused = 0;
  const latencies: number[] = [];
  for (const c of counts) {
    ok += c.ok;
    refused += c.refused;
    for (const k of ERROR_KINDS) errorsByKind[k] += c.errors[k];
    for (const l of c.latencies) latencies.push(l);
  }
  const errors = ERROR_KINDS.reduce((n, k) => n + errorsByKind[k], 0);
  const requests = ok + refused + errors;
  return { code, name, requests, ok, refused, errors, errorsByKind, throughput: seconds > 0 ? round(requests / seconds, 1) : 0, latencyMs: summarize(latencies) };
}

/** The report of a run that started at `startedAt` and took `elapsedMs`. */
export function buildReport(recorder: Recorder, run: { startedAt: Date; elapsedMs: number; config: Record<string, unknown>; cpu?: CpuMeasurement }): LoadReport {
  const seconds = run.elapsedMs / 1000;
  const codes = [...recorder.types.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const byType = codes.map((code) => typeReport(code, messageDef(code)?.name ?? code, [recorder.types.get(code)!], seconds));
  const totals = typeReport("all", "all", [...recorder.types.values()], seconds);
  return {
    tool: "circulate-loadgen",
    startedAt: run.startedAt.toISOString(),
    finishedAt: new Date(run.startedAt.getTime() + run.elapsedMs).toISOString(),
    elapsedSeconds: round(seconds),
    config: run.config,
    totals,
    byType,
    sessions: { completed: recorder.sessions },
    connections: { opened: recorder.connectionsOpened, failed: recorder.connectionsFailed, lastFailure: recorder.lastConnectionFailure },
    itemsLeftOnLoan: recorder.itemsLeftOnLoan,
    stoppedKiosks: [...recorder.stoppedKiosks],
    cpu: run.cpu ? cpuReport(run.cpu, totals.ok + totals.refused) : null,
  };
}

function order(code: string): number {
  const i = (REQUEST_ORDER as readonly string[]).indexOf(code);
  return i === -1 ? REQUEST_ORDER.length : i;
}

const COLUMNS = ["requests", "ok", "refused", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms"] as const;

function row(t: TypeReport): string[] {
  const label = t.code === "all" ? "all" : `${t.code} ${t.name}`;
  const l = t.latencyMs;
  const ms = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(2));
  return [label, String(t.requests), String(t.ok), String(t.refused), String(t.errors), t.throughput.toFixed(1), ms(l?.p50), ms(l?.p95), ms(l?.p99), ms(l?.max)];
}

/** The report as a plain-text table for the terminal. */
export function formatReport(report: LoadReport): string {
  const rows = [["type", ...COLUMNS], ...report.byType.map(row), row(report.totals)];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  const out = [line(rows[0]!), ...rows.slice(1, -1).map(line), "-".repeat(line(rows[0]!).length), line(rows[rows.length - 1]!)];
  const kinds = ERROR_KINDS.filter((k) => report.totals.errorsByKind[k] > 0).map((k) => `${k} ${report.totals.errorsByKind[k]}`);
  out.push("");
  out.push(`${report.elapsedSeconds.toFixed(1)} s, ${report.sessions.completed} sessions, ${report.connections.opened} connections opened, ${report.connections.failed} failed`);
  out.push(`errors: ${kinds.length > 0 ? kinds.join(", ") : "none"}`);
  if (report.connections.lastFailure) out.push(`last connection failure: ${report.connections.lastFailure}`);
  if (report.itemsLeftOnLoan > 0) out.push(`items left on loan (connection broke before their checkin): ${report.itemsLeftOnLoan}`);
  for (const s of report.stoppedKiosks) out.push(`kiosk ${s.kiosk} stopped: ${s.reason}`);
  if (report.cpu) out.push("", ...formatCpu(report.cpu));
  return `${out.join("\n")}\n`;
}
