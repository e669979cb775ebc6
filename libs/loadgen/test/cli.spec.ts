import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planImport } from "@circulate/import";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, isLoopback, parseDuration, runCli } from "../src/cli.js";
import type { LoadReport } from "../src/report.js";
import { startTestServer } from "./sip-server.js";

const dir = await mkdtemp(join(tmpdir(), "loadgen-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

function io() {
  let out = "";
  let err = "";
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: { SIP2_TZ: "America/New_York" },
    out: () => out,
    err: () => err,
  };
}

describe("circulate-loadgen", () => {
  it("refuses a host that is not loopback", async () => {
    for (const host of ["10.0.0.5", "example.org", "0.0.0.0", "::"]) {
      const t = io();
      expect(await runCli(["--host", host], t)).toBe(EXIT.usage);
      expect(t.err()).toContain("not a loopback address");
    }
  });

  it("knows the loopback names and addresses", () => {
    expect(["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"].every(isLoopback)).toBe(true);
    expect(["128.0.0.1", "192.168.1.1", "::2", "localhost.example.org"].some(isLoopback)).toBe(false);
  });

  it("reads durations with units, bare numbers as seconds", () => {
    expect([parseDuration("500ms", "d"), parseDuration("30s", "d"), parseDuration("2m", "d"), parseDuration("1.5", "d")]).toEqual([500, 30_000, 120_000, 1500]);
    expect(() => parseDuration("soon", "--duration")).toThrow(/--duration "soon" is not a duration/);
    expect(() => parseDuration("0s", "--duration")).toThrow();
  });

  it("refuses unknown flags and a library too small for the kiosks, with usage", async () => {
    const a = io();
    expect(await runCli(["--bogus"], a)).toBe(EXIT.usage);
    expect(a.err()).toContain("usage: circulate-loadgen");
    const b = io();
    expect(await runCli(["--kiosks", "10", "--items", "20", "--checkouts-per-session", "3"], b)).toBe(EXIT.usage);
    expect(b.err()).toContain("every kiosk needs items of its own");
  });

  it("writes a library that circulate-import accepts", async () => {
    const file = join(dir, "lib", "library.json");
    const t = io();
    expect(await runCli(["--write-library", file, "--patrons", "12", "--items", "34"], t)).toBe(EXIT.ok);
    expect(t.out()).toContain("12 patrons, 34 items");
    const plan = planImport({ document: JSON.parse(await readFile(file, "utf8")) }, { now: new Date() });
    expect([plan.patrons.length, plan.items.length]).toEqual([12, 34]);
  });

  it("runs kiosks, prints the table and writes the JSON report without the password", async () => {
    const server = await startTestServer();
    try {
      const report = join(dir, "report.json");
      const t = io();
      const code = await runCli(
        ["--port", String(server.port), "--kiosks", "2", "--duration", "400ms", "--patrons", "10", "--items", "100", "--report", report, "--tz", "America/New_York"],
        t,
      );
      expect(t.err()).toContain("2 kiosks → 127.0.0.1");
      expect(code).toBe(EXIT.ok);
      expect(t.out()).toMatch(/^type\s+requests/);
      expect(t.out()).toMatch(/\n11 Checkout\s+\d+/);
      expect(t.out()).toContain("errors: none");
      const text = await readFile(report, "utf8");
      expect(text).not.toContain("kiosk1pw");
      const json = JSON.parse(text) as LoadReport;
      expect(json.tool).toBe("circulate-loadgen");
      expect(json.config).toMatchObject({ kiosks: 2, login: "kiosk1", checkoutsPerSession: 3 });
      expect(json.totals.requests).toBe([...server.received.values()].reduce((a, b) => a + b, 0));
    } finally {
      await server.close();
    }
  });

  it("spreads the kiosks over several gateways given --port a,b", async () => {
    const [a, b] = await Promise.all([startTestServer(), startTestServer()]);
    try {
      const t = io();
      const code = await runCli(
        ["--port", `${a.port},${b.port}`, "--kiosks", "4", "--duration", "300ms", "--patrons", "10", "--items", "100", "--report", join(dir, "r-spread.json"), "--tz", "America/New_York"],
        t,
      );
      expect(code).toBe(EXIT.ok);
      expect([a.connections, b.connections]).toEqual([2, 2]);
      const asked = (s: typeof a) => [...s.received.values()].reduce((x, y) => x + y, 0);
      expect(asked(a)).toBeGreaterThan(0);
      expect(asked(b)).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("refuses a port list with a bad port", async () => {
    const t = io();
    expect(await runCli(["--port", "6001,x"], t)).toBe(EXIT.usage);
    expect(t.err()).toContain("--port must be a whole number");
  });

  it("exits 1 when there were errors", async () => {
    const server = await startTestServer({ resend: ["35"] });
    try {
      const t = io();
      const code = await runCli(["--port", String(server.port), "--kiosks", "1", "--duration", "200ms", "--patrons", "1", "--items", "3", "--report", join(dir, "r2.json")], t);
      expect(code).toBe(EXIT.errors);
      expect(t.out()).toMatch(/errors: resend \d+/);
    } finally {
      await server.close();
    }
  });
});
