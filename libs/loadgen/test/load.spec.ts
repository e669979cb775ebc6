import { afterEach, describe, expect, it } from "vitest";
import type { LoadReport, TypeReport } from "../src/report.js";
import { type LoadOptions, runLoad } from "../src/run.js";
import { CODEC, type Misbehaviour, startTestServer, type TestServer } from "./sip-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(misbehave: Misbehaviour, options: Partial<LoadOptions> = {}): Promise<{ report: LoadReport; server: TestServer }> {
  server = await startTestServer(misbehave);
  const report = await runLoad({
    host: "127.0.0.1",
    port: server.port,
    codec: CODEC,
    kiosks: 4,
    durationMs: 2000,
    login: "kiosk1",
    password: "kiosk1pw",
    location: "MAIN",
    institution: "MAIN",
    pin: "1234",
    checkoutsPerSession: 3,
    patrons: 40,
    items: 2000,
    timeoutMs: 2000,
    reconnectDelayMs: 50,
    ...options,
  });
  return { report, server };
}

const type = (r: LoadReport, code: string): TypeReport => r.byType.find((t) => t.code === code) ?? { ...r.totals, code, requests: 0, ok: 0, refused: 0, errors: 0 };
const received = (s: TestServer) => [...s.received.values()].reduce((a, b) => a + b, 0);

describe("kiosks against a SIP2 server", () => {
  it("4 kiosks for 2 s: sessions complete, counts add up, no errors, latencies recorded", async () => {
    const { report, server } = await run({});
    expect(server.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, refused: 0 });
    expect(report.totals.requests).toBe(received(server));
    expect(report.totals.requests).toBe(report.byType.reduce((n, t) => n + t.requests, 0));
    expect(report.totals.ok).toBe(report.totals.requests);
    expect(type(report, "93").requests).toBe(4);
    expect(type(report, "99").requests).toBe(4);
    const sessions = report.sessions.completed;
    expect(sessions).toBeGreaterThan(20);
    for (const code of ["23", "63", "35"]) expect(type(report, code).requests).toBe(sessions);
    expect(type(report, "11").requests).toBe(3 * sessions);
    expect(type(report, "09").ok).toBe(type(report, "11").ok);
    expect(server.loans.size).toBe(0);
    expect(report.itemsLeftOnLoan).toBe(0);
    expect(report.elapsedSeconds).toBeGreaterThanOrEqual(2);
    for (const t of [...report.byType, report.totals]) {
      const l = t.latencyMs!;
      expect(l.count).toBe(t.requests);
      expect(l.p50).toBeGreaterThan(0);
      expect(l.p50).toBeLessThanOrEqual(l.p95);
      expect(l.p95).toBeLessThanOrEqual(l.p99);
      expect(l.p99).toBeLessThanOrEqual(l.max);
      expect(t.throughput).toBeGreaterThan(0);
    }
    expect(report.connections).toMatchObject({ opened: 4, failed: 0 });
    expect(report.cpu?.answeredRequests).toBe(report.totals.ok + report.totals.refused);
    expect(report.cpu?.loadgen.cpuMs).toBeGreaterThan(0);
  });

  it("counts ok=0 checkouts as refusals, not errors, and returns nothing it did not borrow", async () => {
    const { report, server } = await run({ refuse: ["11"] }, { durationMs: 800 });
    const checkouts = type(report, "11");
    expect(checkouts.requests).toBeGreaterThan(0);
    expect(checkouts).toMatchObject({ ok: 0, refused: checkouts.requests, errors: 0 });
    expect(type(report, "09").requests).toBe(0);
    expect(report.totals.errors).toBe(0);
    expect(server.received.get("09")).toBeUndefined();
  });

  it("goes no further than patron status for a patron the server does not accept", async () => {
    const { report } = await run({ refuse: ["23"] }, { durationMs: 500 });
    expect(type(report, "23").refused).toBe(type(report, "23").requests);
    expect(type(report, "11").requests).toBe(0);
    expect(type(report, "63").requests).toBe(0);
    expect(type(report, "35").requests).toBe(type(report, "23").requests);
  });

  it("counts a hang-up as an error, reconnects, and reports the items it could not return", async () => {
    const { report, server } = await run({ hangUpOn: ["63"] }, { kiosks: 2, durationMs: 1000 });
    const info = type(report, "63");
    expect(info.requests).toBeGreaterThan(1);
    expect(info.errorsByKind.closed).toBe(info.requests);
    expect(report.totals.errors).toBe(info.requests);
    expect(report.connections.opened).toBeGreaterThan(2);
    expect(type(report, "93").requests).toBe(report.connections.opened);
    expect(report.itemsLeftOnLoan).toBe(server.loans.size);
    expect(report.itemsLeftOnLoan).toBe(type(report, "11").ok);
    expect(server.problems).toEqual([]);
  });

  it("counts 96 as a resend error and goes on with the session", async () => {
    const { report, server } = await run({ resend: ["63"] }, { durationMs: 500 });
    const info = type(report, "63");
    expect(info.errorsByKind.resend).toBe(info.requests);
    expect(type(report, "35").ok).toBe(info.requests);
    expect(report.connections.opened).toBe(4);
    expect(server.loans.size).toBe(0);
  });

  it("counts no answer as a timeout, drops that connection and returns the items on the next", async () => {
    const { report, server } = await run({ silentOn: ["35"] }, { kiosks: 2, durationMs: 1000, timeoutMs: 250 });
    const end = type(report, "35");
    expect(end.errorsByKind.timeout).toBe(end.requests);
    expect(end.requests).toBeGreaterThan(1);
    expect(report.connections.opened).toBeGreaterThan(2);
    // Each session's items go back in the next session on a new connection; only the last ones stay out.
    expect(type(report, "09").ok).toBe(type(report, "11").ok - server.loans.size);
    expect(report.itemsLeftOnLoan).toBe(server.loans.size);
  });

  it("stops at --max-requests without cutting a session short", async () => {
    const { report, server } = await run({}, { durationMs: 20_000, maxRequests: 60 });
    expect(report.totals.requests).toBeLessThanOrEqual(60);
    expect(report.totals.requests).toBe(received(server));
    expect(report.elapsedSeconds).toBeLessThan(10);
    expect(server.loans.size).toBe(0);
  });

  it("stops a kiosk whose login is refused", async () => {
    const { report } = await run({}, { password: "wrong", durationMs: 500, procRoot: "/nonexistent-proc" });
    expect(report.cpu).toMatchObject({ measured: false, reason: expect.stringContaining("/nonexistent-proc cannot be read") });
    expect(type(report, "93")).toMatchObject({ requests: 4, refused: 4 });
    expect(report.totals.requests).toBe(4);
    expect(report.stoppedKiosks).toHaveLength(4);
  });

  it("reports a server that is not there as failed connections", async () => {
    server = await startTestServer();
    const port = server.port;
    await server.close();
    server = undefined;
    const report = await runLoad({
      host: "127.0.0.1",
      port,
      codec: CODEC,
      kiosks: 2,
      durationMs: 300,
      login: "kiosk1",
      password: "kiosk1pw",
      location: "MAIN",
      institution: "MAIN",
      pin: "1234",
      checkoutsPerSession: 1,
      patrons: 2,
      items: 2,
      timeoutMs: 500,
      reconnectDelayMs: 50,
    });
    expect(report.totals.requests).toBe(0);
    expect(report.connections.failed).toBeGreaterThan(1);
    expect(report.connections.lastFailure).toMatch(/ECONNREFUSED/);
  });
});
