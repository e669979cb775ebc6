import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { circulateProcessName, cpuReport, formatCpu, type ProcReading, type ProcSample, parseCmdline, parseProcStat, readCirculateProcesses } from "../src/proc-cpu.js";
import { buildReport, formatReport, Recorder } from "../src/report.js";

// A real line's shape: pid (comm) state ppid … utime=field 14, stime=15 … starttime=22.
const stat = (pid: number, comm: string, utime: number, stime: number, starttime: number) =>
  `${pid} (${comm}) S 1 ${pid} ${pid} 0 -1 4194560 21187 0 0 0 ${utime} ${stime} 0 0 20 0 11 0 ${starttime} 1189838848 25630 18446744073709551615 1 1 0 0 0 0 0 4096 134234626 0 0 0 17 1 0 0 0 0 0\n`;
const cmdline = (...args: string[]) => `${args.join("\0")}\0`;
const TSX = ["/usr/local/bin/node", "--conditions=@circulate/source", "--import", "tsx"];

describe("/proc parsing", () => {
  it("reads utime, stime and starttime from stat, whatever the command name holds", () => {
    expect(parseProcStat(stat(4242, "node", 1234, 56, 987654))).toEqual({ pid: 4242, utime: 1234, stime: 56, starttime: 987654 });
    expect(parseProcStat(stat(7, "MainThread (x) y", 3, 4, 5))).toEqual({ pid: 7, utime: 3, stime: 4, starttime: 5 });
    expect(parseProcStat("")).toBeNull();
    expect(parseProcStat("12 (node) S 1 2 3")).toBeNull();
  });

  it("splits cmdline on NUL", () => {
    expect(parseCmdline(cmdline("node", "dist/main.js"))).toEqual(["node", "dist/main.js"]);
    expect(parseCmdline("")).toEqual([]);
  });

  it("knows the six processes from source and dist scripts, and nothing else", () => {
    expect(circulateProcessName([...TSX, "/work/main/services/patron/src/main.ts"], null)).toBe("patron");
    expect(circulateProcessName([...TSX, "/work/main/services/sip2-gateway/src/main.ts"], null)).toBe("sip2-gateway");
    expect(circulateProcessName(["node", "services/loan/dist/main.js"], null)).toBe("loan");
    expect(circulateProcessName(["node", "./services/hold/dist/main.js"], null)).toBe("hold");
    expect(circulateProcessName(["node", "dist/main.js"], "/srv/circulate/services/fee")).toBe("fee");
    expect(circulateProcessName(["node", "dist/main.js"], null)).toBeNull();
    expect(circulateProcessName([...TSX, "/work/main/libs/start/src/main.ts"], null)).toBeNull();
    expect(circulateProcessName([...TSX, "/work/main/services/patron/src/service.ts"], null)).toBeNull();
    expect(circulateProcessName(["vim", "services/item/src/main.ts"], null)).toBeNull();
    expect(circulateProcessName(["sh", "-c", "node services/item/dist/main.js"], null)).toBeNull();
    expect(circulateProcessName(["node"], null)).toBeNull();
  });
});

const sample = (pid: number, name: ProcSample["name"], ticks: number, starttime = 100): ProcSample => ({ pid, name, ticks, starttime });
const reading = (...processes: ProcSample[]): ProcReading => ({ kind: "read", ticksPerSecond: 100, processes });

describe("CPU accounting", () => {
  it("gives CPU ms per process name and per answered request, and the total", () => {
    const start = reading(sample(10, "patron", 1000), sample(11, "sip2-gateway", 50), sample(12, "item", 7), sample(13, "item", 9));
    const end = reading(sample(10, "patron", 1200), sample(11, "sip2-gateway", 450), sample(12, "item", 57), sample(13, "item", 109));
    const cpu = cpuReport({ start, end, loadgenMicros: 1_500_000 }, 2000);
    expect(cpu).toMatchObject({ measured: true, reason: null, clockTicksPerSecond: 100, answeredRequests: 2000, notes: [] });
    expect(cpu.processes.map((p) => [p.name, p.pids, p.cpuMs, p.cpuMsPerRequest])).toEqual([
      ["patron", [10], 2000, 1],
      ["item", [12, 13], 1500, 0.75],
      ["sip2-gateway", [11], 4000, 2],
    ]);
    expect(cpu.total).toEqual({ pids: 4, cpuMs: 7500, cpuMsPerRequest: 3.75 });
    expect(cpu.loadgen).toEqual({ cpuMs: 1500, cpuMsPerRequest: 0.75 });
    expect(cpu.notFound).toEqual(["loan", "fee", "hold"]);
  });

  it("counts a process that started during the run from its start, and says what it could not count", () => {
    const start = reading(sample(20, "loan", 300), sample(21, "fee", 40, 500));
    // pid 21 was reused by a new fee process (another starttime): the old one exited.
    const end = reading(sample(20, "loan", 310), sample(21, "fee", 5, 900), sample(22, "loan", 20));
    const cpu = cpuReport({ start, end, loadgenMicros: 0 }, 10);
    const loan = cpu.processes.find((p) => p.name === "loan")!;
    const fee = cpu.processes.find((p) => p.name === "fee")!;
    expect(loan).toMatchObject({ pids: [20, 22], cpuMs: 300, startedDuringRun: [22], exitedDuringRun: [] });
    expect(fee).toMatchObject({ pids: [21], cpuMs: 50, startedDuringRun: [21], exitedDuringRun: [21] });
    expect(cpu.notes).toEqual([
      "loan pid 22 started during the run: counted from its start",
      "fee pid 21 started during the run: counted from its start",
      "fee pid 21 exited during the run: its CPU in the run could not be read and is not counted",
    ]);
  });

  it("says so, without failing, when /proc is missing or no process is found", () => {
    const gone: ProcReading = { kind: "unavailable", reason: "/proc cannot be read" };
    const noProc = cpuReport({ start: gone, end: gone, loadgenMicros: 2000 }, 0);
    expect(noProc).toMatchObject({ measured: false, reason: "/proc cannot be read", processes: [], total: null, loadgen: { cpuMs: 2, cpuMsPerRequest: null } });
    const none = cpuReport({ start: reading(), end: reading(), loadgenMicros: 0 }, 5);
    expect(none.measured).toBe(false);
    expect(none.reason).toMatch(/no Circulate process found/);
    expect(formatCpu(none)[0]).toMatch(/^CPU of the Circulate processes: not measured — no Circulate process found/);
  });

  it("prints a table under the latency table", () => {
    const r = new Recorder();
    for (let i = 0; i < 100; i++) r.record("11", "ok", 1);
    const cpu = { start: reading(sample(10, "patron", 0)), end: reading(sample(10, "patron", 5), sample(30, "hold", 2)), loadgenMicros: 30_000 };
    const lines = formatReport(buildReport(r, { startedAt: new Date(), elapsedMs: 1000, config: {}, cpu })).split("\n");
    const at = lines.findIndex((l) => l.startsWith("CPU per answered request"));
    expect(at).toBeGreaterThan(lines.findIndex((l) => l.startsWith("all")));
    expect(lines[at]).toContain("100 ticks/s; 100 answered");
    expect(lines[at + 1]).toMatch(/^process\s+pids\s+cpu ms\s+ms\/request$/);
    expect(lines[at + 2]).toMatch(/^patron\s+1\s+50\s+0\.5000$/);
    expect(lines[at + 3]).toMatch(/^hold\s+1\s+20\s+0\.2000$/);
    expect(lines[at + 4]).toMatch(/^circulate total\s+2\s+70\s+0\.7000$/);
    expect(lines[at + 5]).toMatch(/^loadgen\s+1\s+30\s+0\.3000$/);
    expect(lines).toContain("note: hold pid 30 started during the run: counted from its start");
  });
});

const root = await mkdtemp(join(tmpdir(), "loadgen-proc-"));
afterAll(() => rm(root, { recursive: true, force: true }));

describe("reading /proc", () => {
  const proc = async (pid: number, files: Record<string, string>) => {
    await mkdir(join(root, String(pid)), { recursive: true });
    for (const [name, content] of Object.entries(files)) await writeFile(join(root, String(pid), name), content);
  };

  it("finds the Circulate processes and skips the rest and the half-gone", async () => {
    await proc(101, { cmdline: cmdline(...TSX, "/work/main/services/patron/src/main.ts"), stat: stat(101, "node", 120, 30, 5000) });
    await proc(102, { cmdline: cmdline("node", "services/sip2-gateway/dist/main.js"), stat: stat(102, "node", 7, 3, 6000) });
    await proc(103, { cmdline: cmdline("/usr/bin/postgres", "-D", "/var/lib/postgresql"), stat: stat(103, "postgres", 9, 9, 1) });
    await proc(104, { cmdline: cmdline("node", "services/item/dist/main.js") }); // exited between cmdline and stat
    await proc(105, { cmdline: "", stat: stat(105, "kthreadd", 1, 1, 1) });
    await mkdir(join(root, "self"), { recursive: true });
    const r = await readCirculateProcesses(root);
    expect(r.kind).toBe("read");
    if (r.kind !== "read") return;
    expect(r.ticksPerSecond).toBeGreaterThan(0);
    expect([...r.processes].sort((a, b) => a.pid - b.pid)).toEqual([
      { pid: 101, name: "patron", starttime: 5000, ticks: 150 },
      { pid: 102, name: "sip2-gateway", starttime: 6000, ticks: 10 },
    ]);
  });

  it("reports a missing /proc as unavailable", async () => {
    const r = await readCirculateProcesses(join(root, "nowhere"));
    expect(r).toMatchObject({ kind: "unavailable", reason: expect.stringContaining("ENOENT") });
  });
});
