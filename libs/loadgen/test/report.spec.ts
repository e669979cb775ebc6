import { describe, expect, it } from "vitest";
import { buildReport, formatReport, percentile, Recorder, summarize } from "../src/report.js";

describe("percentiles", () => {
  it("use the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([0.5, 0.95, 0.99, 1].map((q) => percentile(values, q))).toEqual([50, 95, 99, 100]);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([1, 2, 3], 0.5)).toBe(2);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it("summarize any order, with mean and max", () => {
    expect(summarize([5, 1, 4, 2, 3])).toEqual({ count: 5, mean: 3, p50: 3, p95: 5, p99: 5, max: 5 });
    expect(summarize([])).toBeNull();
  });
});

function sample(): Recorder {
  const r = new Recorder();
  for (let i = 1; i <= 10; i++) r.record("11", "ok", i);
  r.record("11", "refused", 20);
  r.record("11", "timeout", null);
  r.record("93", "ok", 0.5);
  r.record("09", "resend", 1);
  r.record("23", "ok", 2);
  r.sessions = 1;
  r.connectionsOpened = 2;
  r.connectFailed("connect ECONNREFUSED 127.0.0.1:6001");
  return r;
}

describe("report", () => {
  const report = buildReport(sample(), { startedAt: new Date("2025-01-01T00:00:00Z"), elapsedMs: 2000, config: { kiosks: 1 } });
  const type = (code: string) => report.byType.find((t) => t.code === code);

  it("counts ok, refused and errors per type, and they add up", () => {
    expect(type("11")).toMatchObject({ name: "Checkout", requests: 12, ok: 10, refused: 1, errors: 1 });
    expect(type("11")!.errorsByKind.timeout).toBe(1);
    expect(type("09")!.errorsByKind.resend).toBe(1);
    expect(report.totals).toMatchObject({ requests: 15, ok: 12, refused: 1, errors: 2 });
    const sum = report.byType.reduce((n, t) => n + t.requests, 0);
    expect(sum).toBe(report.totals.requests);
  });

  it("measures latency over answered requests only", () => {
    expect(type("11")!.latencyMs).toMatchObject({ count: 11, p50: 6, max: 20 });
    expect(type("09")!.latencyMs).toBeNull();
    expect(report.totals.latencyMs?.count).toBe(13);
  });

  it("gives throughput per second of the run", () => {
    expect(type("11")!.throughput).toBe(6);
    expect(report.totals.throughput).toBe(7.5);
    expect(report.elapsedSeconds).toBe(2);
    expect(report.finishedAt).toBe("2025-01-01T00:00:02.000Z");
  });

  it("orders the types as a session sends them", () => {
    expect(report.byType.map((t) => t.code)).toEqual(["93", "23", "11", "09"]);
  });

  it("prints a table with a row per type, the total and the errors", () => {
    const text = formatReport(report);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^type\s+requests\s+ok\s+refused\s+errors\s+req\/s\s+p50 ms\s+p95 ms\s+p99 ms\s+max ms$/);
    expect(lines.find((l) => l.startsWith("11 Checkout"))).toMatch(/\s12\s+10\s+1\s+1\s+6\.0\s+6\.00\s+20\.00\s+20\.00\s+20\.00$/);
    expect(lines.find((l) => l.startsWith("09 Checkin"))).toMatch(/-\s+-\s+-\s+-$/);
    expect(lines.find((l) => l.startsWith("all"))).toMatch(/^all\s+15\s+12\s+1\s+2\s/);
    expect(text).toContain("errors: resend 1, timeout 1");
    expect(text).toContain("last connection failure: connect ECONNREFUSED");
  });

  it("says so when there were no errors", () => {
    const r = new Recorder();
    r.record("93", "ok", 1);
    expect(formatReport(buildReport(r, { startedAt: new Date(), elapsedMs: 1000, config: {} }))).toContain("errors: none");
  });
});
