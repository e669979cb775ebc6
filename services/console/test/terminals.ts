import { type FileAccounts, fileAccountsKey, fleetBucketName, type TerminalState, terminalAccountsBucketName, terminalStateKey } from "@circulate/contracts";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { sql } from "kysely";
import { expect, it } from "vitest";
import { eventually, STAFF } from "./support/fixtures.js";
import type { Suite } from "./support/suite.js";

interface Terminal {
  login: string;
  source: string;
  revision: number | null;
  gateways: string[];
  lastSeenAt: string | null;
  status: string;
  account: Record<string, unknown> | null;
  connections: { address: string | null; tls: string | null; scStatus: string | null }[];
  requestsPerMinute: number;
  refusalRate: number | null;
}
interface Fleet {
  terminals: Terminal[];
}

const PASSWORD = "desk-terminal-pw-42";

/** A fleet entry as a gateway writes it: connected now, its last request `quietMs` ago. */
function fleetEntry(login: string, connectionId: string, quietMs: number, extra: Partial<TerminalState> = {}): TerminalState {
  const now = Date.now();
  return {
    v: 1,
    gatewayId: "gw-a",
    connectionId,
    state: "connected",
    login,
    authenticatedBy: "login",
    institution: "MAIN",
    location: "MAIN",
    clientAddress: "10.1.4.20",
    listener: "tls",
    tls: { protocol: "TLSv1.3" },
    connectedAt: now - 600_000,
    loggedInAt: now - 600_000,
    lastRequestAt: now - quietMs,
    scStatus: { code: 0, at: now - 600_000 },
    lastMinute: { requests: 20, refusals: 5, errors: 1, p95Ms: 42 },
    closedAt: null,
    updatedAt: now,
    expiresAt: now + 60_000,
    ...extra,
  };
}

export function terminalTests(suite: Suite): void {
  const admin = async () => {
    const c = suite.client();
    await c.login(STAFF.administrator.name, STAFF.administrator.password);
    return c;
  };
  /** The accounts bucket and the fleet bucket (made here as a gateway makes it), on the stack's NATS. */
  const buckets = async () => {
    const { nats } = suite.stack();
    const nc = await connect({ servers: nats.url });
    const kvm = new Kvm(nc);
    return {
      accounts: await kvm.open(terminalAccountsBucketName(nats.streamPrefix)),
      fleet: await kvm.create(fleetBucketName(nats.streamPrefix), { history: 1, ttl: 60_000 }),
      close: () => nc.close(),
    };
  };

  it("writes a new terminal account to the accounts bucket with the scrypt hash of its password, never returned", async () => {
    const ada = await admin();
    const made = await ada.send("POST", "/api/terminals", { login: "desk1", institutionId: "MAIN", password: PASSWORD, allowedNetworks: ["10.1.0.0/16"], charset: "utf8" });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ login: "desk1", source: "console", status: "disconnected", account: { hasPassword: true, charset: "utf8", allowedNetworks: ["10.1.0.0/16"] } });
    expect(made.text).not.toContain("scrypt");
    const b = await buckets();
    try {
      const stored = (await b.accounts.get("desk1"))!.json<Record<string, unknown>>();
      expect(stored).toMatchObject({ login: "desk1", institutionId: "MAIN", charset: "utf8", passwordHash: expect.stringMatching(/^scrypt\$16384\$8\$1\$/) });
      expect(JSON.stringify(stored)).not.toContain(PASSWORD);
    } finally {
      await b.close();
    }
    expect((await ada.send("POST", "/api/terminals", { login: "desk1", institutionId: "MAIN", password: PASSWORD })).status).toBe(409);
  });

  it("refuses an account the gateways would not apply (400), naming the problem, and writes nothing", async () => {
    const ada = await admin();
    const bad = await ada.send("POST", "/api/terminals", { login: "desk2", institutionId: "MAIN", password: PASSWORD, allowedNetworks: ["not-a-network"] });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toContain("allowedNetworks");
    // Without a password, terminalPassword "required" (the default) has nothing to check.
    expect((await ada.send("POST", "/api/terminals", { login: "desk2", institutionId: "MAIN" })).status).toBe(400);
    const fleet = (await ada.send("GET", "/api/terminals")).body as Fleet;
    expect(fleet.terminals.map((t) => t.login)).not.toContain("desk2");
  });

  it("refuses a change made on a stale revision (409): two edits never silently overwrite each other", async () => {
    const ada = await admin();
    const fleet = (await ada.send("GET", "/api/terminals")).body as Fleet;
    const read = fleet.terminals.find((t) => t.login === "desk1")!.revision!;
    const first = await ada.send("PATCH", "/api/terminals/desk1", { revision: read, location: "MAIN-2F" });
    expect(first.status).toBe(200);
    const second = await ada.send("PATCH", "/api/terminals/desk1", { revision: read, active: false });
    expect([second.status, (second.body as { error: string }).error]).toEqual([409, "conflict"]);
    const now = await eventually(
      async () => ((await ada.send("GET", "/api/terminals")).body as Fleet).terminals.find((t) => t.login === "desk1")!,
      (t) => t.revision === (first.body as Terminal).revision,
      "the change in the console's view",
    );
    expect(now.account).toMatchObject({ location: "MAIN-2F", charset: "utf8" });
    expect(now.account?.active).toBeUndefined();
    expect((await ada.send("PATCH", "/api/terminals/nobody", { revision: 1, active: false })).status).toBe(404);
  });

  it("records who created and changed terminal accounts, never the password", async () => {
    const rows = await suite
      .stack()
      .console.db.selectFrom("events")
      .select("payload")
      .where("type", "=", "StaffActionTaken")
      .where(sql<boolean>`payload->>'target' LIKE 'terminal desk%'`)
      .orderBy("global_position")
      .execute();
    const actions = rows.map((r) => r.payload as { staff: string; action: string; target: string; result: string });
    expect(actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ staff: "ada", action: "terminal.create", result: "done", target: expect.stringContaining("terminal desk1: institutionId MAIN") }),
        expect.objectContaining({ staff: "ada", action: "terminal.create", result: "refused", target: expect.stringMatching(/^terminal desk2/) }),
        expect.objectContaining({ staff: "ada", action: "terminal.update", result: "done", target: "terminal desk1: location MAIN-2F" }),
        expect.objectContaining({ staff: "ada", action: "terminal.update", result: "refused", target: "terminal desk1: active false" }),
      ]),
    );
    expect(actions.find((a) => a.target.includes("new password") || a.target.startsWith("terminal desk1: institutionId"))?.target).toContain("new password");
    expect(JSON.stringify(actions)).not.toContain(PASSWORD);
  });

  it("joins the fleet bucket: a connected account, a silent one, and a file account seen only while connected", async () => {
    const b = await buckets();
    const ada = await admin();
    try {
      await b.fleet.put(terminalStateKey("gw-a", "1"), JSON.stringify(fleetEntry("desk1", "1", 1_000, { scStatus: { code: 1, at: Date.now() } })));
      await b.fleet.put(terminalStateKey("gw-a", "2"), JSON.stringify(fleetEntry("kiosk1", "2", 120_000)));
      // Expired (its gateway stopped writing) and closed entries are not live connections.
      await b.fleet.put(terminalStateKey("gw-b", "3"), JSON.stringify(fleetEntry("route-kiosk", "3", 1_000, { expiresAt: Date.now() - 1 })));
      const fleet = await eventually(
        async () => (await ada.send("GET", "/api/terminals")).body as Fleet,
        (f) => f.terminals.some((t) => t.login === "kiosk1"),
        "the fleet entries in the console's view",
      );
      const by = new Map(fleet.terminals.map((t) => [t.login, t]));
      expect(by.get("desk1")).toMatchObject({ source: "console", status: "out-of-paper", requestsPerMinute: 20, refusalRate: 0.25, connections: [{ address: "10.1.4.20", tls: "TLSv1.3", scStatus: "out-of-paper" }] });
      expect(by.get("kiosk1")).toMatchObject({ source: "file", status: "silent", account: null, revision: null });
      expect(by.get("route-kiosk")).toMatchObject({ status: "disconnected", connections: [] });
      // A file account is the file's: the console neither adds it to the bucket nor changes it.
      expect((await ada.send("POST", "/api/terminals", { login: "kiosk1", institutionId: "MAIN", password: PASSWORD })).status).toBe(409);
    } finally {
      await b.close();
    }
  });

  it("lists a gateway file's account no kiosk ever used, naming the replica, and refuses to add or change it: it is managed in the file", async () => {
    const b = await buckets();
    const ada = await admin();
    const now = Date.now();
    const published: FileAccounts = {
      v: 1,
      gatewayId: "gw-a",
      accounts: [
        {
          login: "sorter7",
          active: true,
          institutionId: "EAST",
          libraryName: "East Branch",
          location: "EAST-SORT",
          allowedNetworks: ["10.7.0.0/16"],
          bindAddresses: ["10.7.0.9"],
          permissions: ["checkin"],
          charset: "ibm850",
          terminalPassword: "required",
          responseProfile: "default",
          timeZone: "UTC",
        },
      ],
      loadedAt: now - 60_000,
      updatedAt: now,
      expiresAt: now + 60_000,
    };
    try {
      await b.fleet.put(fileAccountsKey("gw-a"), JSON.stringify(published));
      const fleet = await eventually(
        async () => (await ada.send("GET", "/api/terminals")).body as Fleet,
        (f) => f.terminals.some((t) => t.login === "sorter7"),
        "the file's account in the console's view",
      );
      expect(fleet.terminals.find((t) => t.login === "sorter7")).toMatchObject({
        source: "file",
        revision: null,
        gateways: ["gw-a"],
        status: "disconnected",
        lastSeenAt: null,
        connections: [],
        account: { institutionId: "EAST", location: "EAST-SORT", allowedNetworks: ["10.7.0.0/16"], charset: "ibm850", active: true, hasPassword: true },
      });
      const change = await ada.send("PATCH", "/api/terminals/sorter7", { revision: 1, active: false });
      expect([change.status, (change.body as { message: string }).message]).toEqual([409, "sorter7 is managed in the accounts file of gateway gw-a, which wins over the console's accounts; change it in that file"]);
      expect((await ada.send("POST", "/api/terminals", { login: "sorter7", institutionId: "EAST", password: PASSWORD })).status).toBe(409);
      expect(await b.accounts.get("sorter7")).toBeNull();
    } finally {
      await b.fleet.delete(fileAccountsKey("gw-a"));
      await b.close();
    }
  });

  it("streams the fleet as Server-Sent Events: the view at once, then every change", async () => {
    const ada = await admin();
    const res = await fetch(`${suite.stack().console.url}/api/terminals/stream`, { headers: { cookie: ada.cookie } });
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const reader = res.body!.getReader();
    let buffered = "";
    const nextFleet = async (): Promise<Fleet> => {
      for (;;) {
        const end = buffered.indexOf("\n\n");
        if (end >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = event.split("\n").find((l) => l.startsWith("data: "));
          if (event.startsWith("event: fleet") && data) return JSON.parse(data.slice(6)) as Fleet;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffered += new TextDecoder().decode(value);
      }
    };
    try {
      expect((await nextFleet()).terminals.map((t) => t.login)).toContain("desk1");
      const b = await buckets();
      try {
        await b.fleet.put(terminalStateKey("gw-a", "4"), JSON.stringify(fleetEntry("kiosk2", "4", 0)));
      } finally {
        await b.close();
      }
      for (let i = 0; ; i++) {
        const fleet = await nextFleet();
        if (fleet.terminals.some((t) => t.login === "kiosk2" && t.status === "connected")) break;
        expect(i, "kiosk2 in one of the next events").toBeLessThan(20);
      }
    } finally {
      await reader.cancel();
    }
  });
}
