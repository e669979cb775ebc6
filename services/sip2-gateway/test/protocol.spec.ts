import { parseResponse, type SipResponse } from "@circulate/sip2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PERMISSIONS } from "../src/domain/terminal.js";
import {
  accountsFile,
  backendDouble,
  captureLogs,
  createTestNats,
  Kiosk,
  msg,
  type RunningGateway,
  startGateway,
  testConfig,
} from "./harness.js";

const everything = [...PERMISSIONS];
const local = ["127.0.0.0/8"];

function parse(bytes: Uint8Array, charset: "ibm850" | "utf8" = "ibm850"): SipResponse {
  const r = parseResponse(bytes, { timeZone: "Europe/Oslo", charset });
  if (!r.ok) throw new Error(`unreadable response: ${r.error.reason}`);
  return r.message;
}

describe("SIP2 sessions over real TCP, NATS and gRPC", () => {
  const nats = createTestNats();
  const backend = backendDouble(nats.url, nats.subjectPrefix);
  const logs = captureLogs();
  let files: Awaited<ReturnType<typeof accountsFile>>;
  let gw: RunningGateway;
  const kiosks: Kiosk[] = [];
  const open = async (localAddress?: string) => {
    const k = await Kiosk.tcp(gw.tcp.port, localAddress);
    kiosks.push(k);
    return k;
  };
  const loggedIn = async (login = "kiosk1", password = "kiosk1pw") => {
    const k = await open();
    expect(await k.ask(msg.login(login, password))).toBe("941");
    return k;
  };

  beforeAll(async () => {
    await backend.start();
    files = await accountsFile([
      { login: "kiosk1", password: "kiosk1pw", institutionId: "MAIN", permissions: everything, allowedNetworks: local, timeoutMs: 1_500 },
      { login: "kiosk8", password: "kiosk8pw", institutionId: "MAIN", permissions: everything, charset: "utf8", timeoutMs: 1_500 },
      { login: "strict", password: "strictpw", institutionId: "MAIN", permissions: everything, requireErrorDetection: true },
      { login: "remote", password: "remotepw", institutionId: "MAIN", permissions: everything, allowedNetworks: ["10.0.0.0/8", "2001:db8::/32"] },
      {
        login: "bound",
        password: "boundpw",
        institutionId: "EAST",
        libraryName: "East Branch",
        location: "EAST-1",
        permissions: ["checkin", "checkout"],
        bindAddresses: ["127.0.0.2"],
        scStatusBeforeLogin: true,
        timeoutMs: 2_000,
      },
      { login: "late", password: "latepw", institutionId: "MAIN", permissions: ["checkin"], bindAddresses: ["127.0.0.3/32"] },
    ]);
    gw = await startGateway(testConfig(nats.url, nats.subjectPrefix, files.file), { logger: logs.logger });
  });
  afterAll(async () => {
    for (const k of kiosks) k.close();
    await gw?.stop();
    await backend.close();
    await files?.remove();
    await nats.cleanup();
  });
  beforeEach(() => {
    backend.delay = () => 0;
  });

  it("accepts a good login and echoes the trailer", async () => {
    const k = await open();
    expect(await k.ask(msg.login("kiosk1", "kiosk1pw", 0, "MAIN-DESK"))).toBe("941AY0AZFDFD");
  });

  it("refuses a bad password, an unknown login and a login from outside the account's networks", async () => {
    const k = await open("127.0.0.6");
    expect(await k.ask(msg.login("kiosk1", "wrong"))).toBe("940");
    expect(await k.ask(msg.login("nobody", "x"))).toBe("940");
    expect(await k.ask(msg.login("remote", "remotepw"))).toBe("940");
  });

  it("throttles an address after repeated failed logins, even with the right password", async () => {
    const k = await open("127.0.0.4");
    for (let i = 0; i < 3; i++) expect(await k.ask(msg.login("kiosk1", `bad${i}`))).toBe("940");
    expect(await k.ask(msg.login("kiosk1", "kiosk1pw"))).toBe("940");
    // Another address is not affected.
    const other = await open("127.0.0.5");
    expect(await other.ask(msg.login("kiosk1", "kiosk1pw"))).toBe("941");
  });

  it("answers 99 before login with a full 98 only where the bound account allows it", async () => {
    const bound = await open("127.0.0.2");
    const status = parse(Buffer.from(await bound.ask(msg.status(1)), "latin1"));
    expect(status).toMatchObject({ code: "98", onlineStatus: true, institutionId: "EAST", libraryName: "East Branch" });
    const late = await open("127.0.0.3");
    expect(parse(Buffer.from(await late.ask(msg.status()), "latin1"))).toMatchObject({ code: "98", onlineStatus: false, checkinOk: false });
    expect(await late.ask(msg.login("late", "latepw"))).toBe("941");
    expect(parse(Buffer.from(await late.ask(msg.status()), "latin1"))).toMatchObject({ onlineStatus: true, checkinOk: true, checkoutOk: false });
    const anonymous = await open();
    expect(parse(Buffer.from(await anonymous.ask(msg.status()), "latin1"))).toMatchObject({ onlineStatus: false, timeoutPeriod: 0 });
  });

  it("fills 98 from the account's permissions and the backend's health", async () => {
    const k = await loggedIn();
    const raw = await k.ask(msg.status(3));
    expect(raw).toMatch(/^98YYYYYY015003\d{8} {4}\d{6}2\.00AOMAIN\|AMMAIN\|BXYYYYYYYYYYYYYYYY\|ANMAIN\|AY3AZ[0-9A-F]{4}$/);
    const status = parse(Buffer.from(raw, "latin1"));
    expect(status).toMatchObject({ timeoutPeriod: 15, retriesAllowed: 3, protocolVersion: "2.00" });
    if (status.code !== "98") throw new Error("not 98");
    expect(Math.abs(status.dateTimeSync!.getTime() - Date.now())).toBeLessThan(5_000);
  });

  it("binds a connection to an account by source address, and a 93 overrides the binding", async () => {
    const k = await open("127.0.0.2");
    backend.seen.length = 0;
    const response = parse(await k.askBytes(msg.checkout("P1", "I1")));
    expect(response).toMatchObject({ code: "12", ok: true });
    expect(backend.seen.at(-1)).toMatchObject({ institutionId: "EAST", terminal: { account: "bound", location: "EAST-1" } });
    expect(await k.ask(msg.login("kiosk1", "kiosk1pw", undefined, "MAIN-2"))).toBe("941");
    await k.ask(msg.checkout("P1", "I2"));
    expect(backend.seen.at(-1)).toMatchObject({ institutionId: "MAIN", terminal: { account: "kiosk1", location: "MAIN-2" } });
  });

  it("refuses a request before any login with a well-formed response, sending nothing on", async () => {
    const k = await open();
    backend.seen.length = 0;
    expect(parse(await k.askBytes(msg.checkout("P1", "I1")))).toMatchObject({ code: "12", ok: false });
    expect(backend.seen).toHaveLength(0);
  });

  it("frames CR, CR LF and LF, split writes and several messages in one write", async () => {
    const k = await loggedIn();
    const a = Buffer.from(msg.status(1));
    k.send(Buffer.concat([a.subarray(0, -1), Buffer.from("\r\n")]));
    expect(await k.next()).toMatch(/^98Y.*AY1AZ/);
    k.send(Buffer.concat([Buffer.from(msg.status(2)).subarray(0, -1), Buffer.from("\n")]));
    expect(await k.next()).toMatch(/AY2AZ/);
    const split = Buffer.from(msg.status(3));
    for (const part of [split.subarray(0, 5), split.subarray(5, 20), split.subarray(20)]) {
      k.send(part);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await k.next()).toMatch(/AY3AZ/);
    k.send(Buffer.concat([Buffer.from(msg.status(4)), Buffer.from(msg.checkout("P1", "I9", 5)), Buffer.from(msg.status(6))]));
    expect(await k.next()).toMatch(/^98.*AY4AZ/);
    expect(await k.next()).toMatch(/^121.*AY5AZ/);
    expect(await k.next()).toMatch(/^98.*AY6AZ/);
  });

  it("accepts requests without AY/AZ and lower-case checksums; answers 96 to a bad checksum", async () => {
    const k = await loggedIn();
    expect(await k.ask(msg.status())).toMatch(/^98Y.*\|ANMAIN\|$/);
    const lower = Buffer.from(msg.status(7)).toString("latin1").replace(/AZ([0-9A-F]{4})\r$/, (_, h: string) => `AZ${h.toLowerCase()}\r`);
    expect(await k.ask(lower)).toMatch(/AY7AZ[0-9A-F]{4}$/);
    const bad = Buffer.from(msg.checkout("P1", "I1", 8)).toString("latin1").replace(/AZ[0-9A-F]{4}\r$/, "AZ0000\r");
    backend.seen.length = 0;
    expect(await k.ask(bad)).toBe("96AZFEF6");
    expect(backend.seen).toHaveLength(0);
  });

  it("answers 96 to a request without AY/AZ when the account requires error detection", async () => {
    const k = await open();
    expect(await k.ask(msg.login("strict", "strictpw", 0))).toBe("941AY0AZFDFD");
    expect(await k.ask(msg.status())).toBe("96AZFEF6");
    expect(await k.ask(msg.status(1))).toMatch(/^98Y.*AY1AZ/);
  });

  it("answers 96 to garbage and to an oversize frame, and keeps the connection usable", async () => {
    const k = await loggedIn();
    expect(await k.ask("hello there\r")).toBe("96AZFEF6");
    expect(await k.ask(`11${"x".repeat(5_000)}\r`)).toBe("96AZFEF6");
    expect(await k.ask(msg.status(2))).toMatch(/^98Y/);
  });

  it("reads and writes each account's charset: IBM850 and UTF-8", async () => {
    const cp = await loggedIn();
    const a = await cp.askBytes(msg.checkout("P1", "Zoë-1", 1));
    expect(a.includes(Buffer.from("Zoë", "latin1").subarray(0, 2))).toBe(true);
    expect(a.includes(0x89)).toBe(true); // ë in code page 850
    expect(parse(a)).toMatchObject({ code: "12", titleIdentifier: "Zoë and the Hobbit" });
    expect(backend.seen.at(-1)?.command).toMatchObject({ value: { item: { barcode: "Zoë-1" } } });
    const utf = await loggedIn("kiosk8", "kiosk8pw");
    const b = await utf.askBytes(msg.checkout("P1", "Zoë-2", 1, { charset: "utf8" }));
    expect(b.includes(Buffer.from("Zoë", "utf8"))).toBe(true);
    expect(parse(b, "utf8")).toMatchObject({ code: "12", titleIdentifier: "Zoë and the Hobbit" });
    expect(backend.seen.at(-1)?.command).toMatchObject({ value: { item: { barcode: "Zoë-2" } } });
  });

  it("replays the last response byte for byte on 97, and answers 96 when nothing was sent yet", async () => {
    const fresh = await open();
    expect(await fresh.ask("97AZFEF5\r")).toBe("96AZFEF6");
    const k = await loggedIn();
    const first = await k.askBytes(msg.checkout("P1", "I77", 4));
    const again = await k.askBytes("97AZFEF5\r");
    expect(again.equals(first)).toBe(true);
    expect(await k.ask("97\r")).toBe(first.toString("latin1"));
  });

  it("answers pipelined requests in order even when the first is the slowest", async () => {
    const k = await loggedIn();
    backend.delay = (e) => (e.command?.$case === "checkOutItem" && e.command.value.item?.barcode === "SLOW" ? 400 : 0);
    k.send(Buffer.concat([Buffer.from(msg.checkout("P1", "SLOW", 1)), Buffer.from(msg.patronStatus("P1", 2)), Buffer.from(msg.status(3))]));
    expect(await k.next()).toMatch(/^12.*ABSLOW\|.*AY1AZ/);
    expect(await k.next()).toMatch(/^24.*AY2AZ/);
    expect(await k.next()).toMatch(/^98.*AY3AZ/);
  });

  it("answers a re-sent request on a new connection identically and sends the command once", async () => {
    const first = await loggedIn();
    const req = msg.checkout("P42", "I42", 5);
    backend.seen.length = 0;
    const a = await first.askBytes(req);
    first.close();
    const second = await loggedIn();
    const b = await second.askBytes(req);
    expect(b.equals(a)).toBe(true);
    expect(backend.seen.filter((e) => e.command?.$case === "checkOutItem")).toHaveLength(1);
  });

  it("answers within the account's timeout when the service is too slow, and drops the late outcome", async () => {
    const k = await loggedIn();
    backend.delay = () => 3_000;
    const started = Date.now();
    const r = parse(await k.askBytes(msg.checkout("P1", "TIMEOUT", 1), 4_000));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(r).toMatchObject({ code: "12", ok: false });
    expect(backend.seen.at(-1)?.deadline?.getTime() ?? 0).toBeLessThan(started + 1_500);
  });

  it("never writes a PIN or a password to the logs", async () => {
    const k = await loggedIn();
    await k.ask(msg.patronStatus("P1", 1, "secretpin4711"));
    await k.ask(msg.checkout("P1", "I1", 2, { pin: "secretpin4711" }));
    const other = await open("127.0.0.7");
    await other.ask(msg.login("kiosk1", "wrongpassword99"));
    const all = logs.lines.join("");
    expect(all).toContain("login refused");
    expect(all).not.toContain("secretpin4711");
    expect(all).not.toContain("kiosk1pw");
    expect(all).not.toContain("wrongpassword99");
  });
});
