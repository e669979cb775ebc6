import type { FileAccount, FileAccounts, TerminalState } from "@circulate/contracts";
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

const fileAccount = (login: string, extra: Partial<FileAccount> = {}): FileAccount => ({
  login,
  active: true,
  institutionId: "MAIN",
  libraryName: "Main Library",
  location: "MAIN",
  allowedNetworks: [],
  bindAddresses: [],
  permissions: ["checkin", "checkout"],
  charset: "ibm850",
  terminalPassword: "required",
  responseProfile: "default",
  timeZone: "UTC",
  ...extra,
});
const file = (gatewayId: string, accounts: FileAccount[], extra: Partial<FileAccounts> = {}): FileAccounts => ({
  v: 1,
  gatewayId,
  accounts,
  loadedAt: NOW - 60_000,
  updatedAt: NOW - 1_000,
  expiresAt: NOW + 59_000,
  ...extra,
});

function view(connections: TerminalState[], accounts: AccountRecord[] = [], files: FileAccounts[] = []) {
  return terminalViews(
    {
      accounts: new Map(accounts.map((a) => [a.login, a])),
      connections: new Map(connections.map((c) => [`${c.gatewayId}.${c.connectionId}`, c])),
      fileAccounts: new Map(files.map((f) => [f.gatewayId, f])),
      lastSeen: new Map(),
    },
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

  it("lists a file account no kiosk ever used: disconnected, never seen, read-only, with the replica whose file has it", () => {
    const [t] = view([], [], [file("gw-a", [fileAccount("sorter2", { location: "MAIN-SORT", terminalPassword: "blank", allowedNetworks: ["10.9.0.0/16"] })])]);
    expect(t).toEqual({
      login: "sorter2",
      source: "file",
      revision: null,
      account: {
        hasPassword: false,
        institutionId: "MAIN",
        libraryName: "Main Library",
        location: "MAIN-SORT",
        allowedNetworks: ["10.9.0.0/16"],
        bindAddresses: [],
        permissions: ["checkin", "checkout"],
        charset: "ibm850",
        active: true,
        terminalPassword: "blank",
        responseProfile: "default",
        timeZone: "UTC",
      },
      gateways: ["gw-a"],
      note: null,
      problems: [],
      status: "disconnected",
      lastSeenAt: null,
      connections: [],
      requestsPerMinute: 0,
      refusalRate: null,
      errorRate: null,
      p95Ms: null,
    });
  });

  it("takes the union of two replicas' files, names the replicas that have each, and says when they differ", () => {
    const views = view(
      [conn("kiosk1", "1")],
      [],
      [
        file("gw-b", [fileAccount("kiosk1", { location: "MAIN-2F" }), fileAccount("kiosk3")], { loadedAt: NOW - 5_000 }),
        file("gw-a", [fileAccount("kiosk1"), fileAccount("kiosk2")]),
      ],
    );
    expect(views.map((v) => [v.login, v.source, v.gateways, v.status])).toEqual([
      ["kiosk1", "file", ["gw-a", "gw-b"], "connected"],
      ["kiosk2", "file", ["gw-a"], "disconnected"],
      ["kiosk3", "file", ["gw-b"], "disconnected"],
    ]);
    // gw-b loaded its file last: what the replicas will converge on once gw-a's file is rolled out too.
    expect(views[0]!.account?.location).toBe("MAIN-2F");
    expect(views[0]!.note).toBe("the accounts files of gw-a, gw-b differ for kiosk1; shown as in gw-b's, the latest loaded");
    expect(views[1]!.note).toBeNull();
  });

  it("shows the file's account over the console's entry of the same login, as the gateways apply it", () => {
    const [t] = view([], [account("desk9", { location: "CONSOLE" })], [file("gw-a", [fileAccount("desk9", { location: "FILE" })])]);
    expect(t).toMatchObject({ source: "file", revision: null, account: { location: "FILE", hasPassword: true }, gateways: ["gw-a"], note: "the console's entry (revision 7) is ignored: the accounts file wins" });
  });

  it("forgets a replica's file accounts once its entry expired (the replica stopped writing)", () => {
    const views = view([], [], [file("gw-gone", [fileAccount("kiosk9")], { expiresAt: NOW - 1 }), file("gw-a", [fileAccount("kiosk1")])]);
    expect(views.map((v) => v.login)).toEqual(["kiosk1"]);
  });
});
