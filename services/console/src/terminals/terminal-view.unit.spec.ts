import type { TerminalState } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { type AccountRecord, terminalViews } from "./terminal-view.js";

const NOW = 1_765_010_000_000;
const SILENT_MS = 45_000;

function conn(login: string | null, id: string, extra: Partial<TerminalState> = {}): TerminalState {
  return {
    v: 1,
    gatewayId: "gw",
    connectionId: id,
    state: "connected",
    login,
    authenticatedBy: "login",
    institution: "MAIN",
    location: "MAIN",
    clientAddress: "10.0.0.5",
    listener: "tcp",
    tls: null,
    connectedAt: NOW - 300_000,
    loggedInAt: NOW - 299_000,
    lastRequestAt: NOW - 1_000,
    scStatus: null,
    lastMinute: { requests: 10, refusals: 1, errors: 0, p95Ms: 30 },
    closedAt: null,
    updatedAt: NOW,
    expiresAt: NOW + 60_000,
    ...extra,
  };
}
const account = (login: string, entry: Record<string, unknown> = {}): AccountRecord => ({
  login,
  entry: { login, institutionId: "MAIN", passwordHash: "scrypt$1$1$1$c2FsdA==$aGFzaA==", ...entry },
  revision: 7,
  problems: [],
});

function view(connections: TerminalState[], accounts: AccountRecord[] = []) {
  return terminalViews(
    { accounts: new Map(accounts.map((a) => [a.login, a])), connections: new Map(connections.map((c) => [`${c.gatewayId}.${c.connectionId}`, c])), lastSeen: new Map() },
    NOW,
    SILENT_MS,
  );
}

describe("the fleet view of a terminal", () => {
  it("is connected while requests come, silent once none came for longer than the threshold", () => {
    expect(view([conn("k1", "1", { lastRequestAt: NOW - SILENT_MS })])[0]!.status).toBe("connected");
    expect(view([conn("k1", "1", { lastRequestAt: NOW - SILENT_MS - 1 })])[0]!.status).toBe("silent");
    // Never a request since login: the login counts as the last sign of life.
    expect(view([conn("k1", "1", { lastRequestAt: null, loggedInAt: NOW - 60_000 })])[0]!.status).toBe("silent");
  });

  it("shows the last 99's status over silence: out of paper, shutting down", () => {
    expect(view([conn("k1", "1", { scStatus: { code: 1, at: NOW }, lastRequestAt: NOW - 600_000 })])[0]).toMatchObject({ status: "out-of-paper", connections: [{ scStatus: "out-of-paper" }] });
    expect(view([conn("k1", "1", { scStatus: { code: 2, at: NOW } })])[0]!.status).toBe("shutting-down");
    expect(view([conn("k1", "1", { scStatus: { code: 0, at: NOW } })])[0]!.status).toBe("connected");
  });

  it("is disconnected without a live connection: closed and expired entries do not count", () => {
    const [t] = view([conn("k1", "1", { state: "closed", closedAt: NOW - 5 }), conn("k1", "2", { expiresAt: NOW - 1 })], [account("k1")]);
    expect(t).toMatchObject({ login: "k1", status: "disconnected", connections: [], requestsPerMinute: 0, refusalRate: null, p95Ms: null });
  });

  it("sums its connections' last minute and takes the worst state and p95", () => {
    const [t] = view([conn("k1", "1"), conn("k1", "2", { lastMinute: { requests: 30, refusals: 3, errors: 2, p95Ms: 80 }, scStatus: { code: 1, at: NOW } })]);
    expect(t).toMatchObject({ status: "out-of-paper", requestsPerMinute: 40, refusalRate: 0.1, errorRate: 0.05, p95Ms: 80 });
  });

  it("lists the bucket's accounts and the file's accounts seen in the fleet, and leaves out connections before their login", () => {
    const views = view([conn("kiosk1", "1"), conn(null, "2")], [account("desk9", { active: false, allowedNetworks: ["10.0.0.0/8"] })]);
    expect(views.map((v) => [v.login, v.source, v.revision])).toEqual([
      ["desk9", "console", 7],
      ["kiosk1", "file", null],
    ]);
    expect(views[0]!.account).toEqual({ hasPassword: true, institutionId: "MAIN", active: false, allowedNetworks: ["10.0.0.0/8"] });
  });

  it("never carries the password hash, nor a setting of the wrong type", () => {
    const [t] = view([], [account("desk9", { charset: 42, permissions: "checkout" })]);
    expect(JSON.stringify(t)).not.toContain("scrypt");
    expect(t!.account).toEqual({ hasPassword: true, institutionId: "MAIN" });
  });
});
