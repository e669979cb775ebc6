/**
 * CPU time of the Circulate processes on this machine during a run, from /proc:
 * utime + stime of every process running a service's main script, read before and
 * after the run. Pure parsing and accounting first ({@link parseProcStat},
 * {@link circulateProcessName}, {@link cpuReport}, {@link formatCpu}); the thin
 * I/O part ({@link readCirculateProcesses}) at the end.
 */
import { execFile } from "node:child_process";
import { readdir, readFile, readlink } from "node:fs/promises";
import { join, posix } from "node:path";

/** The stack's processes, in report order (`services/<name>/…/main`). */
export const CIRCULATE_PROCESSES = ["patron", "item", "loan", "fee", "hold", "sip2-gateway"] as const;
export type CirculateProcess = (typeof CIRCULATE_PROCESSES)[number];

/** The fields of /proc/[pid]/stat we use; times in clock ticks. */
export interface ProcStat {
  readonly pid: number;
  readonly utime: number;
  readonly stime: number;
  /** Ticks after boot when the process started: with the pid, tells a reused pid apart. */
  readonly starttime: number;
}

/**
 * /proc/[pid]/stat. The command name (field 2) is in parentheses and may itself hold
 * spaces or parentheses, so the fields are counted from the last `)`.
 */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 1).trim().split(/\s+/);
  // rest[0] is field 3 (state).
  const field = (n: number) => Number(rest[n - 3]);
  const stat = { pid, utime: field(14), stime: field(15), starttime: field(22) };
  return Object.values(stat).every((v) => Number.isSafeInteger(v) && v >= 0) ? stat : null;
}

/** /proc/[pid]/cmdline: the arguments, NUL-separated (empty for kernel threads). */
export function parseCmdline(raw: string): string[] {
  const args = raw.split("\0");
  if (args[args.length - 1] === "") args.pop();
  return args;
}

const NODE = /^(node(js)?|tsx)[\d.]*$/;
const ENTRY = /(?:^|\/)services\/(patron|item|loan|fee|hold|sip2-gateway)\/(?:src\/main\.ts|dist\/main\.js)$/;

/**
 * Which Circulate process a command line runs: a node process whose script argument is
 * `services/<name>/src/main.ts` (pnpm start, tsx) or `services/<name>/dist/main.js` (a
 * build). A relative script is resolved against the process's `cwd` when it is known, so
 * `node dist/main.js` started in services/patron counts too. Only node counts: an editor
 * or a shell naming the file is not the service.
 */
export function circulateProcessName(argv: readonly string[], cwd: string | null): CirculateProcess | null {
  if (argv.length < 2 || !NODE.test(posix.basename(argv[0]!))) return null;
  for (const arg of argv.slice(1)) {
    if (arg.startsWith("-")) continue;
    const path = cwd !== null && !arg.startsWith("/") ? posix.resolve(cwd, arg) : arg;
    const m = ENTRY.exec(path);
    if (m) return m[1] as CirculateProcess;
  }
  return null;
}

/** One Circulate process at one reading. */
export interface ProcSample {
  readonly pid: number;
  readonly name: CirculateProcess;
  readonly starttime: number;
  /** utime + stime, clock ticks. */
  readonly ticks: number;
}

/** One scan of /proc, or why there was none. */
export type ProcReading =
  | { readonly kind: "read"; readonly ticksPerSecond: number; readonly processes: readonly ProcSample[] }
  | { readonly kind: "unavailable"; readonly reason: string };

/** What a run measured: the two readings and the load generator's own CPU (user + system, µs). */
export interface CpuMeasurement {
  readonly start: ProcReading;
  readonly end: ProcReading;
  readonly loadgenMicros: number;
}

export interface ProcessCpu {
  readonly name: CirculateProcess;
  /** Every pid seen at either reading. */
  readonly pids: readonly number[];
  readonly cpuMs: number;
  /** cpuMs / answered requests; null when nothing was answered. */
  readonly cpuMsPerRequest: number | null;
  /** Not there at the first reading: all its CPU is counted (its whole life was in the run). */
  readonly startedDuringRun: readonly number[];
  /** Gone at the second reading: its CPU during the run could not be read and is not counted. */
  readonly exitedDuringRun: readonly number[];
}

/** The report's `cpu` field. */
export interface CpuReport {
  /** False when /proc could not be read or no Circulate process was found (`reason` says which). */
  readonly measured: boolean;
  readonly reason: string | null;
  readonly clockTicksPerSecond: number | null;
  /** The divisor: requests of the run that got an answer (ok or refused). */
  readonly answeredRequests: number;
  readonly processes: readonly ProcessCpu[];
  readonly total: { readonly pids: number; readonly cpuMs: number; readonly cpuMsPerRequest: number | null } | null;
  /** Expected processes found at neither reading. */
  readonly notFound: readonly CirculateProcess[];
  /** This process (process.cpuUsage()), without the /proc readings. */
  readonly loadgen: { readonly cpuMs: number; readonly cpuMsPerRequest: number | null };
  readonly notes: readonly string[];
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Per process name: CPU between the readings, and per answered request. */
export function cpuReport(m: CpuMeasurement, answeredRequests: number): CpuReport {
  const per = (ms: number) => (answeredRequests > 0 ? round(ms / answeredRequests, 4) : null);
  const loadgenMs = round(m.loadgenMicros / 1000, 1);
  const base = { answeredRequests, loadgen: { cpuMs: loadgenMs, cpuMsPerRequest: per(loadgenMs) } };
  const unmeasured = (reason: string, hz: number | null): CpuReport => ({
    ...base,
    measured: false,
    reason,
    clockTicksPerSecond: hz,
    processes: [],
    total: null,
    notFound: [...CIRCULATE_PROCESSES],
    notes: [],
  });
  if (m.start.kind === "unavailable") return unmeasured(m.start.reason, null);
  if (m.end.kind === "unavailable") return unmeasured(m.end.reason, null);
  const hz = m.end.ticksPerSecond;
  if (m.start.processes.length + m.end.processes.length === 0) {
    return unmeasured("no Circulate process found (node running services/<name>/src/main.ts or dist/main.js)", hz);
  }
  const key = (p: ProcSample) => `${p.pid}:${p.starttime}`;
  const before = new Map(m.start.processes.map((p) => [key(p), p]));
  const after = new Set(m.end.processes.map(key));
  const notes: string[] = [];
  const processes: ProcessCpu[] = [];
  for (const name of CIRCULATE_PROCESSES) {
    const ended = m.end.processes.filter((p) => p.name === name);
    const exited = m.start.processes.filter((p) => p.name === name && !after.has(key(p)));
    if (ended.length + exited.length === 0) continue;
    let ticks = 0;
    const started: number[] = [];
    for (const p of ended) {
      const first = before.get(key(p));
      if (!first) started.push(p.pid);
      ticks += Math.max(0, p.ticks - (first?.ticks ?? 0));
    }
    const cpuMs = round((ticks * 1000) / hz, 1);
    const pids = [...new Set([...m.start.processes, ...m.end.processes].filter((p) => p.name === name).map((p) => p.pid))].sort((a, b) => a - b);
    const exitedPids = exited.map((p) => p.pid);
    for (const pid of started) notes.push(`${name} pid ${pid} started during the run: counted from its start`);
    for (const pid of exitedPids) notes.push(`${name} pid ${pid} exited during the run: its CPU in the run could not be read and is not counted`);
    processes.push({ name, pids, cpuMs, cpuMsPerRequest: per(cpuMs), startedDuringRun: started, exitedDuringRun: exitedPids });
  }
  const totalMs = round(
    processes.reduce((n, p) => n + p.cpuMs, 0),
    1,
  );
  return {
    ...base,
    measured: true,
    reason: null,
    clockTicksPerSecond: hz,
    processes,
    total: { pids: processes.reduce((n, p) => n + p.pids.length, 0), cpuMs: totalMs, cpuMsPerRequest: per(totalMs) },
    notFound: CIRCULATE_PROCESSES.filter((n) => !processes.some((p) => p.name === n)),
    notes,
  };
}

/** The report's CPU section as lines of text. */
export function formatCpu(cpu: CpuReport): string[] {
  const perReq = (v: number | null) => (v === null ? "-" : v.toFixed(4));
  const loadgen = `loadgen (this process): ${cpu.loadgen.cpuMs.toFixed(0)} ms CPU, ${perReq(cpu.loadgen.cpuMsPerRequest)} ms per answered request`;
  if (!cpu.measured) return [`CPU of the Circulate processes: not measured — ${cpu.reason}`, loadgen];
  const rows = [
    ["process", "pids", "cpu ms", "ms/request"],
    ...cpu.processes.map((p) => [p.name, String(p.pids.length), p.cpuMs.toFixed(0), perReq(p.cpuMsPerRequest)]),
    ["circulate total", String(cpu.total!.pids), cpu.total!.cpuMs.toFixed(0), perReq(cpu.total!.cpuMsPerRequest)],
    ["loadgen", "1", cpu.loadgen.cpuMs.toFixed(0), perReq(cpu.loadgen.cpuMsPerRequest)],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  const out = [`CPU per answered request (/proc utime+stime, ${cpu.clockTicksPerSecond} ticks/s; ${cpu.answeredRequests} answered):`, ...rows.map(line)];
  if (cpu.notFound.length > 0) out.push(`not found: ${cpu.notFound.join(", ")}`);
  for (const n of cpu.notes) out.push(`note: ${n}`);
  return out;
}

// ---- I/O: reading /proc ----

let ticksPerSecond: Promise<number> | undefined;

/** The kernel's clock tick rate (`getconf CLK_TCK`, once); 100 when getconf does not answer. */
export function clockTicksPerSecond(): Promise<number> {
  ticksPerSecond ??= new Promise((resolve) => {
    execFile("getconf", ["CLK_TCK"], { timeout: 2000 }, (err, stdout) => {
      const hz = Number(String(stdout).trim());
      resolve(!err && Number.isSafeInteger(hz) && hz > 0 ? hz : 100);
    });
  });
  return ticksPerSecond;
}

const text = (path: string) => readFile(path, "utf8").catch(() => null);

async function sample(procRoot: string, pid: number): Promise<ProcSample | null> {
  const cmdline = await text(join(procRoot, String(pid), "cmdline"));
  if (!cmdline) return null;
  const argv = parseCmdline(cmdline);
  let name = circulateProcessName(argv, null);
  // Only a relative script needs the cwd (which other users' processes do not show).
  if (!name && argv.some((a) => a.endsWith("main.ts") || a.endsWith("main.js"))) {
    const cwd = await readlink(join(procRoot, String(pid), "cwd")).catch(() => null);
    if (cwd) name = circulateProcessName(argv, cwd);
  }
  if (!name) return null;
  const stat = parseProcStat((await text(join(procRoot, String(pid), "stat"))) ?? "");
  return stat ? { pid, name, starttime: stat.starttime, ticks: stat.utime + stat.stime } : null;
}

/** The Circulate processes running now, with their CPU ticks; processes that vanish mid-scan are skipped. */
export async function readCirculateProcesses(procRoot = "/proc"): Promise<ProcReading> {
  let entries: string[];
  try {
    entries = await readdir(procRoot);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    return { kind: "unavailable", reason: `${procRoot} cannot be read (${code}; platform ${process.platform}): CPU per process needs Linux` };
  }
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number);
  const samples = await Promise.all(pids.map((pid) => sample(procRoot, pid)));
  return { kind: "read", ticksPerSecond: await clockTicksPerSecond(), processes: samples.filter((s) => s !== null) };
}
