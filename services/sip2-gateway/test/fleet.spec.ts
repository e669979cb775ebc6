import { readFileSync } from "node:fs";
import net, { type AddressInfo } from "node:net";
import { type FileAccounts, fileAccountsKey, fleetBucketName, parseFileAccounts, parseTerminalState, type TerminalState } from "@circulate/contracts";
import { KvWatchInclude, Kvm } from "@nats-io/kv";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS } from "../src/domain/terminal.js";
import { accountsFile, backendDouble, captureLogs, createTestNats, Kiosk, msg, type RunningGateway, startGateway, TLS_DIR, testConfig } from "./harness.js";

/** One entry of the fleet bucket as the console would read it; undefined when there is none. */
async function fleetEntry(nc: NatsConnection, streamPrefix: string, key: string): Promise<{ raw: string; state: TerminalState | undefined } | undefined> {
  const kv = await new Kvm(nc).open(fleetBucketName(streamPrefix));
  const e = await kv.get(key);
  return e?.operation === "PUT" ? { raw: e.string(), state: parseTerminalState(e.string()) } : undefined;
}

/** Polls until `find` returns something (the fleet is written within a write period, not at once). */
async function eventually<T>(find: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error("not seen in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const withoutPatron = PERMISSIONS.filter((p) => p !== "patron");

describe("fleet state: every connection of every gateway in the fleet bucket", () => {
  const nats = createTestNats();
  const backend = backendDouble(nats.url, nats.subjectPrefix);
  let files: Awaited<ReturnType<typeof accountsFile>>;
  let gw: RunningGateway;
  let nc: NatsConnection;

  beforeAll(async () => {
    await backend.start();
    files = await accountsFile([
      { login: "kiosk1", password: "kiosk1pw", institutionId: "MAIN", permissions: withoutPatron },
      { login: "sorter1", password: "sorter1pw", institutionId: "EAST", location: "EAST-SORT", permissions: ["checkin"], bindAddresses: ["127.0.0.5"] },
    ]);
    gw = await startGateway(
      testConfig(nats.url, nats.subjectPrefix, files.file, {
        gatewayId: "gw-a",
        fleet: { refreshMs: 400, writeMs: 100 },
        tls: { certFile: `${TLS_DIR}server.crt`, keyFile: `${TLS_DIR}server.key`, requireClientCert: false },
      }),
      { logger: captureLogs().logger },
    );
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await gw?.stop();
    await nc?.close();
    await backend.close();
    await files?.remove();
    await nats.cleanup();
  });

  const entryOf = (key: string, ready: (s: TerminalState) => boolean = () => true) =>
    eventually(async () => {
      const s = (await fleetEntry(nc, nats.streamPrefix, key))?.state;
      return s && ready(s) ? s : undefined;
    });

  it("shows a kiosk from connect to close: its login, address, 99 status, last minute's requests, refusals and errors", async () => {
    const before = Date.now();
    const kiosk = await Kiosk.tcp(gw.tcp.port);
    const connected = await entryOf("gw-a.1");
    expect(connected).toMatchObject({ v: 1, gatewayId: "gw-a", connectionId: "1", state: "connected", login: null, listener: "tcp", tls: null });
    expect(connected.clientAddress).toMatch(/127\.0\.0\.1$/);
    expect(connected.connectedAt).toBeGreaterThanOrEqual(before);

    expect(await kiosk.ask(msg.login("kiosk1", "kiosk1pw", 0))).toBe("941AY0AZFDFD");
    expect(await entryOf("gw-a.1", (s) => s.login !== null)).toMatchObject({ login: "kiosk1", authenticatedBy: "login", institution: "MAIN", location: "MAIN" });

    expect(await kiosk.ask(msg.status(1, "1"))).toMatch(/^98/);
    await kiosk.ask(msg.checkout("P1", "I1", 2));
    await kiosk.ask(msg.checkout("P1", "I2", 3));
    expect(await kiosk.ask(msg.patronStatus("P1", 4))).toMatch(/^24/); // not permitted: refused at the gateway
    expect(await kiosk.ask("9900802.00AY5AZ0000\r")).toMatch(/^96/); // bad checksum
    const busy = await entryOf("gw-a.1", (s) => s.lastMinute.requests === 6);
    expect(busy.scStatus).toMatchObject({ code: 1 });
    expect(busy.lastMinute).toMatchObject({ requests: 6, refusals: 1, errors: 1 });
    expect(busy.lastMinute.p95Ms).toBeGreaterThanOrEqual(0);
    expect(busy.lastRequestAt).toBeGreaterThanOrEqual(busy.loggedInAt!);
    expect(busy.expiresAt - busy.updatedAt).toBe(1_200);

    const raw = (await fleetEntry(nc, nats.streamPrefix, "gw-a.1"))?.raw;
    expect(raw).not.toContain("kiosk1pw");
    expect(raw).not.toContain("scrypt");

    kiosk.close();
    const closed = await entryOf("gw-a.1", (s) => s.state === "closed");
    expect(closed.closedAt).toBeGreaterThanOrEqual(busy.updatedAt);
    expect(closed.login).toBe("kiosk1");
  });

  it("writes a busy connection at most once per write period, never once per request", async () => {
    const kv = await new Kvm(nc).open(fleetBucketName(nats.streamPrefix));
    const kiosk = await Kiosk.tcp(gw.tcp.port);
    expect(await kiosk.ask(msg.login("kiosk1", "kiosk1pw"))).toBe("941");
    await entryOf("gw-a.2", (s) => s.login === "kiosk1");
    // This connection's writes only: the replica's accounts-file entry is refreshed in the same bucket meanwhile.
    let writes = 0;
    const watch = await kv.watch({ key: "gw-a.2", include: KvWatchInclude.UpdatesOnly });
    const counted = (async () => {
      for await (const _ of watch) writes++;
    })();
    const started = Date.now();
    for (let i = 0; i < 100; i++) kiosk.send(msg.checkout("P1", `I${i}`));
    for (let i = 0; i < 100; i++) await kiosk.next();
    await entryOf("gw-a.2", (s) => s.lastMinute.requests === 101);
    const periods = Math.ceil((Date.now() - started) / 100) + 1;
    watch.stop();
    await counted;
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThanOrEqual(periods);
    kiosk.close();
  });

  it("says TLS and its protocol; a connection that never logs in leaves no entry behind", async () => {
    const kiosk = await Kiosk.tls(gw.tls!.port, { ca: readFileSync(`${TLS_DIR}ca.crt`) });
    const seen = await entryOf("gw-a.3");
    expect(seen).toMatchObject({ listener: "tls", tls: { protocol: "TLSv1.3" } });
    kiosk.close();
    await eventually(async () => ((await fleetEntry(nc, nats.streamPrefix, "gw-a.3")) ? undefined : true));
  });

  it("shows a sorter bound by its source address as logged in by binding, without a 93", async () => {
    const sorter = await Kiosk.tcp(gw.tcp.port, "127.0.0.5");
    const bound = await entryOf("gw-a.4", (s) => s.login !== null);
    expect(bound).toMatchObject({ login: "sorter1", authenticatedBy: "binding", institution: "EAST", location: "EAST-SORT", clientAddress: "127.0.0.5" });
    sorter.close();
  });

  it("lets the entries of a gateway cut off from NATS expire with the bucket's max age", async () => {
    const proxy = await natsProxy(nats.url);
    const cut = await startGateway(testConfig(proxy.url, nats.subjectPrefix, files.file, { gatewayId: "gw-cut", fleet: { refreshMs: 400, writeMs: 100 } }), {
      logger: captureLogs().logger,
    });
    try {
      const kiosk = await Kiosk.tcp(cut.tcp.port);
      expect(await kiosk.ask(msg.login("kiosk1", "kiosk1pw", 0))).toBe("941AY0AZFDFD");
      const live = await entryOf("gw-cut.1", (s) => s.login === "kiosk1");
      // As good as killed for the fleet: nothing it does reaches NATS, and nobody marks it closed.
      const cutAt = proxy.cut();
      const gone = await eventually(async () => ((await fleetEntry(nc, nats.streamPrefix, "gw-cut.1")) ? undefined : Date.now()));
      expect(gone - cutAt).toBeLessThanOrEqual(live.expiresAt - live.updatedAt + 1_000);
      expect(live.state).toBe("connected");
      // Its accounts file's entry goes the same way: the console stops naming it as a replica that has them.
      const fileGone = await eventually(async () => ((await fleetEntry(nc, nats.streamPrefix, fileAccountsKey("gw-cut"))) ? undefined : Date.now()));
      expect(fileGone - cutAt).toBeLessThanOrEqual(live.expiresAt - live.updatedAt + 1_000);
      kiosk.close();
    } finally {
      await proxy.restore();
      await cut.stop();
      await proxy.close();
    }
  });

  it("publishes the accounts of its file at start, again on a reload and every refresh, never a password or its hash", async () => {
    const fileEntry = (ready: (f: FileAccounts) => boolean) =>
      eventually(async () => {
        const raw = (await fleetEntry(nc, nats.streamPrefix, fileAccountsKey("gw-a")))?.raw;
        const parsed = raw === undefined ? undefined : parseFileAccounts(raw);
        return parsed && ready(parsed) ? { raw: raw!, parsed } : undefined;
      });
    const started = await fileEntry(() => true);
    expect(started.parsed.gatewayId).toBe("gw-a");
    expect(started.parsed.accounts.map((a) => a.login)).toEqual(["kiosk1", "sorter1"]);
    expect(started.parsed.accounts[1]).toEqual({
      login: "sorter1",
      active: true,
      institutionId: "EAST",
      libraryName: "EAST",
      location: "EAST-SORT",
      allowedNetworks: [],
      bindAddresses: ["127.0.0.5"],
      permissions: ["checkin"],
      charset: "ibm850",
      terminalPassword: "required",
      responseProfile: "default",
      timeZone: "Europe/Oslo",
    });
    // Refreshed while the file stays as it is, so it outlives the bucket's max age only with its gateway.
    const refreshed = await fileEntry((f) => f.updatedAt > started.parsed.updatedAt);
    expect(refreshed.parsed.loadedAt).toBe(started.parsed.loadedAt);
    expect(refreshed.parsed.expiresAt - refreshed.parsed.updatedAt).toBe(1_200);

    await files.write([
      { login: "kiosk1", password: "kiosk1pw", institutionId: "MAIN", permissions: withoutPatron, active: false },
      { login: "desk7", password: "desk7pw-secret", institutionId: "EAST", location: "EAST-DESK", allowedNetworks: ["10.7.0.0/16"], charset: "utf8" },
    ]);
    expect(await gw.reloadAccounts()).toBe(true);
    const reloaded = await fileEntry((f) => f.loadedAt > started.parsed.loadedAt);
    expect(reloaded.parsed.accounts.map((a) => [a.login, a.active])).toEqual([
      ["kiosk1", false],
      ["desk7", true],
    ]);
    expect(reloaded.parsed.accounts[1]).toMatchObject({ location: "EAST-DESK", allowedNetworks: ["10.7.0.0/16"], charset: "utf8" });
    for (const raw of [started.raw, reloaded.raw]) {
      for (const secret of ["kiosk1pw", "desk7pw-secret", "scrypt", "passwordHash"]) expect(raw).not.toContain(secret);
    }
  });
});

/** A TCP relay to NATS that can be cut (every connection dropped, new ones refused) and restored. */
async function natsProxy(natsUrl: string) {
  const target = new URL(natsUrl.replace(/^nats:/, "http:"));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 4222), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `nats://127.0.0.1:${port}`,
    cut(): number {
      server.close();
      for (const s of sockets) s.destroy();
      return Date.now();
    },
    restore: () => listen(port),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
