import { terminalAccountsBucketName } from "@circulate/contracts";
import { type KV, Kvm } from "@nats-io/kv";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KvAccountsWatch } from "../src/adapters/accounts-kv.js";
import { AccountSources } from "../src/app/account-sources.js";
import { AccountRegistry } from "../src/app/accounts.js";
import { hashPassword } from "../src/app/passwords.js";
import { PERMISSIONS } from "../src/domain/terminal.js";
import { accountsFile, backendDouble, captureLogs, createTestNats, Kiosk, msg, type RunningGateway, startGateway, testConfig } from "./harness.js";

async function until(what: string, ok: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("terminal accounts managed at run time (KV bucket), at two gateway replicas", () => {
  const nats = createTestNats();
  const backend = backendDouble(nats.url, nats.subjectPrefix);
  const logs = captureLogs();
  let files: Awaited<ReturnType<typeof accountsFile>>;
  let replicas: RunningGateway[] = [];
  let nc: NatsConnection;
  let kv: KV;
  const kiosks: Kiosk[] = [];
  let entry: Record<string, unknown>;

  beforeAll(async () => {
    await backend.start();
    files = await accountsFile([{ login: "kiosk1", password: "kiosk1pw", institutionId: "MAIN", permissions: [...PERMISSIONS] }]);
    replicas = await Promise.all(
      ["a", "b"].map((id) => startGateway(testConfig(nats.url, nats.subjectPrefix, files.file, { gatewayId: id }), { logger: logs.logger })),
    );
    nc = await connect({ servers: nats.url });
    kv = await new Kvm(nc).open(terminalAccountsBucketName(nats.streamPrefix));
    entry = { login: "kiosk9", passwordHash: await hashPassword("kiosk9pw"), institutionId: "EAST", permissions: ["checkout", "checkin"] };
  });
  afterAll(async () => {
    for (const k of kiosks) k.close();
    await Promise.all(replicas.map((gw) => gw.stop()));
    await nc?.close();
    await backend.close();
    await files?.remove();
    await nats.cleanup();
  });

  const loginAt = async (gw: RunningGateway) => {
    const k = await Kiosk.tcp(gw.tcp.port);
    kiosks.push(k);
    return { kiosk: k, answer: await k.ask(msg.login("kiosk9", "kiosk9pw", 0)) };
  };
  const everywhere = (what: string, ok: (gw: RunningGateway) => boolean) => until(what, () => replicas.every(ok));

  it("logs an account put in the bucket in at both replicas, without a restart", async () => {
    await kv.put("kiosk9", JSON.stringify(entry));
    await everywhere("kiosk9 in force", (gw) => gw.accounts.get("kiosk9") !== undefined);
    for (const gw of replicas) {
      const { kiosk, answer } = await loginAt(gw);
      expect(answer).toBe("941AY0AZFDFD");
      expect(await kiosk.ask(msg.checkout("P1", "I1", 1))).toMatch(/^121/);
    }
    expect(backend.seen.at(-1)?.institutionId).toBe("EAST");
  });

  it("closes the account's open connections at both replicas when it is switched off, and refuses its next login", async () => {
    const open = kiosks.slice(-2);
    await kv.put("kiosk9", JSON.stringify({ ...entry, active: false }));
    await Promise.all(open.map((k) => k.waitClosed()));
    for (const gw of replicas) expect((await loginAt(gw)).answer).toBe("940AY0AZFDFE");
  });

  it("ignores an entry that does not validate, logging its problems, and keeps the account in force", async () => {
    await kv.put("kiosk9", JSON.stringify(entry));
    await everywhere("kiosk9 back on", (gw) => gw.accounts.get("kiosk9")?.account.active === true);
    const { kiosk } = await loginAt(replicas[0]!);
    await kv.put("kiosk9", JSON.stringify({ ...entry, charset: "ebcdic", permissions: ["fly"] }));
    await kv.put("kiosk10", JSON.stringify({ login: "kiosk10", institutionId: "MAIN" }));
    await until("both refusals logged twice", () => logs.lines.filter((l) => l.includes("not applied")).length === 4);
    const refused = logs.lines.filter((l) => l.includes("terminal account in the KV bucket not applied")).map((l) => JSON.parse(l) as { terminal: string; problems: string[] });
    expect(refused.find((r) => r.terminal === "kiosk9")?.problems).toEqual(["/permissions/0 must be equal to one of the allowed values", "/charset must be equal to one of the allowed values"]);
    expect(refused.find((r) => r.terminal === "kiosk10")?.problems).toEqual(["passwordHash must be an scrypt hash (see hash-password)"]);
    for (const gw of replicas) {
      expect(gw.accounts.get("kiosk9")?.account.charset).toBe("ibm850");
      expect(gw.accounts.get("kiosk10")).toBeUndefined();
    }
    expect(kiosk.closed).toBe(false);
    expect(logs.lines.join("\n")).not.toContain(String(entry.passwordHash));
  });

  it("lets a login in the accounts file win over the bucket's, and closes connections of an entry deleted", async () => {
    await kv.put("kiosk1", JSON.stringify({ ...entry, login: "kiosk1" }));
    await until("file precedence logged", () => logs.lines.some((l) => l.includes("the accounts file has this login")));
    for (const gw of replicas) expect(gw.accounts.get("kiosk1")?.account.institutionId).toBe("MAIN");
    const open = kiosks.at(-1)!;
    await kv.delete("kiosk9");
    await open.waitClosed();
    await everywhere("kiosk9 gone", (gw) => gw.accounts.get("kiosk9") === undefined);
  });
});

describe("the accounts bucket's watch", () => {
  const nats = createTestNats();
  afterAll(() => nats.cleanup());

  it("reads the bucket afresh when it was deleted and made again, closing what it no longer has", async () => {
    const registry = new AccountRegistry();
    const logger = captureLogs().logger;
    const closed: string[] = [];
    const nc = await connect({ servers: nats.url });
    const watch = await KvAccountsWatch.open(nc, nats.streamPrefix, { sources: new AccountSources(registry, logger), logger, close: (l) => closed.push(...l), recheckMs: 200 });
    try {
      const bucket = terminalAccountsBucketName(nats.streamPrefix);
      const entry = (login: string) => JSON.stringify({ login, passwordHash: "scrypt$16384$8$1$AAAA$BBBB", institutionId: "MAIN" });
      await (await new Kvm(nc).open(bucket)).put("kiosk9", entry("kiosk9"));
      await until("kiosk9 in force", () => registry.get("kiosk9") !== undefined);
      await (await new Kvm(nc).open(bucket)).destroy();
      await (await new Kvm(nc).create(bucket, { history: 5 })).put("kiosk10", entry("kiosk10"));
      await until("kiosk10 in force", () => registry.get("kiosk10") !== undefined);
      expect(registry.get("kiosk9")).toBeUndefined();
      expect(closed).toEqual(["kiosk9"]);
    } finally {
      await watch.stop();
      await nc.close();
    }
  });
});
