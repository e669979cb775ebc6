import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { once } from "node:events";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { fleetBucketName, parseTerminalState, type TerminalState } from "@circulate/contracts";
import { Kvm } from "@nats-io/kv";
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
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    await backend.start();
    files = await accountsFile([
      { login: "kiosk1", password: "kiosk1pw", institutionId: "MAIN", permissions: withoutPatron },
      { login: "sorter1", password: "sorter1pw", institutionId: "EAST", location: "EAST-SORT", permissions: ["checkin"], bindAddresses: ["127.0.0.5"] },
    ]);
    gw = await startGateway(
      testConfig(nats.url, nats.subjectPrefix, files.file, {
        gatewayId: "gw-a",
        fleet: { refreshMs: 1_000, writeMs: 100 },
        tls: { certFile: `${TLS_DIR}server.crt`, keyFile: `${TLS_DIR}server.key`, requireClientCert: false },
      }),
      { logger: captureLogs().logger },
    );
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await once(child, "exit");
    }
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
    expect(busy.expiresAt - busy.updatedAt).toBe(3_000);

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
    const writes = async () => (await kv.status()).streamInfo.state.last_seq;
    const kiosk = await Kiosk.tcp(gw.tcp.port);
    expect(await kiosk.ask(msg.login("kiosk1", "kiosk1pw"))).toBe("941");
    await entryOf("gw-a.2", (s) => s.login === "kiosk1");
    const before = await writes();
    const started = Date.now();
    for (let i = 0; i < 100; i++) kiosk.send(msg.checkout("P1", `I${i}`));
    for (let i = 0; i < 100; i++) await kiosk.next();
    await entryOf("gw-a.2", (s) => s.lastMinute.requests === 101);
    const periods = Math.ceil((Date.now() - started) / 100) + 1;
    expect(await writes()).toBeLessThanOrEqual(before + periods);
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

  it("lets a killed gateway's connections expire with the bucket's max age", async () => {
    const port = await freePort();
    child = spawn(process.execPath, ["--conditions=@circulate/source", "--import", "tsx", path.resolve(import.meta.dirname, "../src/main.ts")], {
      env: {
        PATH: process.env.PATH,
        SIP2_ACCOUNTS_FILE: files.file,
        SIP2_HOST: "127.0.0.1",
        SIP2_PORT: String(port),
        GATEWAY_GRPC_PORT: "0",
        GATEWAY_OPS_PORT: "0",
        NATS_URL: nats.url,
        SUBJECT_PREFIX: nats.subjectPrefix,
        STREAM_PREFIX: nats.streamPrefix,
        GATEWAY_ID: "gw-killed",
        SIP2_FLEET_REFRESH_MS: "1000",
        SIP2_FLEET_WRITE_MS: "200",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const kiosk = await connectWhenListening(port, child);
    expect(await kiosk.ask(msg.login("kiosk1", "kiosk1pw", 0))).toBe("941AY0AZFDFD");
    const live = await entryOf("gw-killed.1", (s) => s.login === "kiosk1");
    child.kill("SIGKILL");
    await once(child, "exit");
    // Nobody marks it closed: the bucket drops it once nothing refreshed it for its max age (3 s).
    const gone = await eventually(async () => ((await fleetEntry(nc, nats.streamPrefix, "gw-killed.1")) ? undefined : Date.now()), 8_000);
    expect(gone).toBeGreaterThanOrEqual(live.updatedAt + 2_000);
    // One more refresh may have gone out between reading it and the kill.
    expect(gone).toBeLessThanOrEqual(live.expiresAt + 2_500);
    kiosk.close();
  });
});

async function freePort(): Promise<number> {
  const s = net.createServer().listen(0, "127.0.0.1");
  await once(s, "listening");
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function connectWhenListening(port: number, child: ChildProcess): Promise<Kiosk> {
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      return await Kiosk.tcp(port);
    } catch (err) {
      if (child.exitCode !== null || Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
