/**
 * Sessions and kiosk quirks against the whole stack: 93 login, 99 → 98, 97 re-send, bad
 * checksums, TLS, a checkout retried with the same bytes on a new connection (and on another
 * gateway replica), and the sorter account (checkin only).
 *
 * Not here: UTF-8 versus IBM850 per account. The demo accounts file sets no UTF-8 account
 * (all ibm850), so the gateway's own tests cover charsets.
 */
import type { CheckoutRequest } from "@circulate/sip2";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoDeployment, type E2eGateway, startDemo, startE2eGateway, TEST_CA } from "./support/gateway.js";
import { waitFor } from "./support/wait.js";
import { Kiosk } from "./support/kiosk.js";
import * as rq from "./support/requests.js";

const ALL_MESSAGES = {
  patronStatusRequest: true,
  checkout: true,
  checkin: true,
  blockPatron: true,
  scAcsStatus: true,
  requestScAcsResend: true,
  login: true,
  patronInformation: true,
  endPatronSession: true,
  feePaid: true,
  itemInformation: true,
  itemStatusUpdate: true,
  patronEnable: true,
  hold: true,
  renew: true,
  renewAll: true,
};
const SESSION_ONLY = Object.fromEntries(Object.keys(ALL_MESSAGES).map((k) => [k, ["scAcsStatus", "requestScAcsResend", "login"].includes(k)]));

describe("SIP2 sessions and kiosk quirks against the whole stack", () => {
  let demo: DemoDeployment;
  const kiosks: Kiosk[] = [];
  const open = async (tls = false) => {
    const k = tls ? await Kiosk.connectTls(demo.gateway.tlsPort, TEST_CA) : await Kiosk.connect(demo.gateway.tcpPort);
    kiosks.push(k);
    return k;
  };
  const loggedIn = async (user = "kiosk1", password = `${user}pw`, tls = false) => {
    const k = await open(tls);
    expect((await k.ask(rq.login(user, password))).message).toEqual({ code: "94", ok: true });
    return k;
  };
  const checkedOutEvents = async () =>
    Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events WHERE type = 'ItemCheckedOut'`.execute(demo.stack.services.loan.db)).rows[0]!.n);

  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(async () => {
    for (const k of kiosks) k.close();
    await demo?.stop();
  });

  describe("93 login, 99 SC status, 97 re-send", () => {
    it("93 with kiosk1's password is accepted (941) and echoes the AY sequence with a valid checksum", async () => {
      const k = await open();
      const reply = await k.ask(rq.login("kiosk1", "kiosk1pw"), 3);
      expect(reply.raw).toMatch(/^941AY3AZ[0-9A-F]{4}$/);
      expect(reply).toMatchObject({ sequence: 3, checksum: "valid" });
    });

    it("93 with a wrong password or an unknown login is refused (940); a right one then works", async () => {
      const k = await open();
      expect((await k.ask(rq.login("kiosk1", "wrong"), null)).raw).toBe("940");
      expect((await k.ask(rq.login("nobody", "kiosk1pw"), null)).raw).toBe("940");
      expect((await k.ask(rq.login("kiosk1", "kiosk1pw"), null)).raw).toBe("941");
    });

    it("a request before any login is refused locally with ok=0", async () => {
      const k = await open();
      expect((await k.ask(rq.checkout("P0001", "I0001"))).message).toMatchObject({
        code: "12",
        ok: false,
        screenMessages: ["This terminal cannot do that. Please see staff."],
      });
    });

    it("99 before login: 98 off-line with nothing allowed but the session messages", async () => {
      const k = await open();
      expect((await k.ask(rq.scStatus())).message).toMatchObject({
        code: "98",
        onlineStatus: false,
        checkinOk: false,
        checkoutOk: false,
        timeoutPeriod: 0,
        institutionId: "",
        supportedMessages: SESSION_ONLY,
      });
    });

    it("99 after kiosk1's login: 98 on-line with every permission, its timeout, institution, library and location", async () => {
      const k = await loggedIn();
      const m = (await k.ask(rq.scStatus())).message;
      expect(m).toEqual({
        code: "98",
        onlineStatus: true,
        checkinOk: true,
        checkoutOk: true,
        acsRenewalPolicy: true,
        statusUpdateOk: true,
        offlineOk: true,
        timeoutPeriod: 50,
        retriesAllowed: 3,
        dateTimeSync: expect.any(Date),
        protocolVersion: "2.00",
        institutionId: "MAIN",
        libraryName: "Main Library",
        supportedMessages: ALL_MESSAGES,
        terminalLocation: "MAIN",
      });
      expect(Math.abs(m.dateTimeSync!.getTime() - Date.now())).toBeLessThan(5_000);
    });

    it("99 after kiosk2's login: EAST, East Branch, no block / status update / offline", async () => {
      const k = await loggedIn("kiosk2");
      expect((await k.ask(rq.scStatus())).message).toMatchObject({
        onlineStatus: true,
        checkinOk: true,
        checkoutOk: true,
        statusUpdateOk: false,
        offlineOk: false,
        institutionId: "EAST",
        libraryName: "East Branch",
        terminalLocation: "EAST",
        supportedMessages: { ...ALL_MESSAGES, blockPatron: false, patronEnable: false, itemStatusUpdate: false },
      });
    });

    it("97 replays the last response byte for byte, trailer included", async () => {
      const k = await loggedIn();
      const status = await k.ask(rq.patronStatus("P0001"), 5);
      expect(status.message).toMatchObject({ code: "24", patronIdentifier: "P0001", personalName: "Ada Lovelace" });
      expect(status.sequence).toBe(5);
      expect((await k.askRaw("97\r")).raw).toBe(status.raw);
      expect((await k.ask({ code: "97" }, 6)).raw).toBe(status.raw);
    });

    it("97 on a fresh connection, with nothing to replay, is answered 96", async () => {
      const k = await open();
      // 96 always carries AZ (the gateway's choice; kiosks verify it when they check error detection).
      expect((await k.askRaw("97\r")).raw).toBe("96AZFEF6");
    });

    it("a request with a wrong checksum is answered 96 and changes nothing", async () => {
      const k = await loggedIn();
      const before = await checkedOutEvents();
      const good = Buffer.from(k.encode(rq.checkout("P0001", "I0001"), 1)).toString("latin1");
      const bad = good.replace(/AZ[0-9A-F]{4}\r$/, "AZ0000\r");
      expect(bad).not.toBe(good);
      expect((await k.askRaw(bad)).raw).toBe("96AZFEF6");
      expect(await checkedOutEvents()).toBe(before);
    });
  });

  describe("TLS", () => {
    it("a kiosk on the TLS port logs in and gets a patron's status", async () => {
      const k = await loggedIn("kiosk1", "kiosk1pw", true);
      expect((k.socket as import("node:tls").TLSSocket).encrypted).toBe(true);
      expect((await k.ask(rq.patronStatus("P0005"))).message).toMatchObject({
        code: "24",
        patronIdentifier: "P0005",
        personalName: "Katherine Johnson",
        validPatron: true,
        validPatronPassword: true,
      });
    });
  });

  describe("a retried checkout", () => {
    const sent: CheckoutRequest = { ...rq.checkout("P0001", "I0001"), transactionDate: new Date(Date.now() - 2_000) };
    let first: string;

    it("the same bytes on a new connection get the same response, and one loan", async () => {
      const before = await checkedOutEvents();
      const a = await loggedIn();
      const r1 = await a.ask(sent, 4);
      expect(r1.message).toMatchObject({ code: "12", ok: true, renewalOk: false, itemIdentifier: "I0001", screenMessages: ["Checked out."] });
      first = r1.raw;
      // The kiosk lost the answer, dropped the connection and tries again.
      a.close();
      const b = await loggedIn();
      const r2 = await b.ask(sent, 4);
      expect(r2.raw).toBe(r1.raw);
      expect(await checkedOutEvents()).toBe(before + 1);
    });

    // Still the terminal's next request: a query in between would make the same bytes a new transaction.
    it("the same bytes to another gateway replica get the recorded outcome, not a renewal", async () => {
      let other: E2eGateway | undefined;
      try {
        other = await startE2eGateway(demo.stack);
        await waitFor(() => other!.gateway.health.online(), "the second gateway to see every service");
        const before = await checkedOutEvents();
        const c = await Kiosk.connect(other.tcpPort);
        kiosks.push(c);
        expect((await c.ask(rq.login("kiosk1", "kiosk1pw"))).message.ok).toBe(true);
        const r3 = await c.ask(sent, 4);
        // Only the transaction date (the moment the replica answered) may differ.
        const strip = (raw: string) => raw.replace(/^(12.{6}).{18}/, "$1").replace(/AZ[0-9A-F]{4}$/, "");
        expect(strip(r3.raw)).toBe(strip(first));
        expect(r3.message).toMatchObject({ ok: true, renewalOk: false, screenMessages: ["Checked out."] });
        expect(await checkedOutEvents()).toBe(before);
        const patron = (await c.ask(rq.patronInformation("P0001", "chargedItems"))).message;
        expect(patron).toMatchObject({ chargedItemsCount: 1, chargedItems: ["I0001"] });
      } finally {
        await other?.stop();
      }
    });

    it("a new checkout of the same item by the same patron (new bytes) is a renewal, said so", async () => {
      const k = await loggedIn();
      const m = (await k.ask(rq.checkout("P0001", "I0001"))).message;
      expect(m).toMatchObject({ ok: true, renewalOk: true, screenMessages: ["You already had this item: it has been renewed."] });
    });
  });

  describe("the sorter account (sorter1: checkin only)", () => {
    it("98 shows checkin only", async () => {
      const k = await loggedIn("sorter1");
      expect((await k.ask(rq.scStatus())).message).toMatchObject({
        checkinOk: true,
        checkoutOk: false,
        acsRenewalPolicy: false,
        terminalLocation: "MAIN",
        supportedMessages: { ...SESSION_ONLY, checkin: true },
      });
    });

    it("a checkout from the sorter is refused locally and nothing is sent on", async () => {
      const before = await checkedOutEvents();
      const k = await loggedIn("sorter1");
      expect((await k.ask(rq.checkout("P0001", "I0002"))).message).toMatchObject({
        code: "12",
        ok: false,
        desensitize: "N",
        titleIdentifier: "",
        screenMessages: ["This terminal cannot do that. Please see staff."],
      });
      expect(await checkedOutEvents()).toBe(before);
    });

    it("the sorter's checkin of I0007 at MAIN traps it for P0001: alert 01, hold patron id and name", async () => {
      const k = await loggedIn("sorter1");
      // No AP: the gateway uses the account's location (MAIN), where P0001 picks up — the hold shelf here.
      expect((await k.ask(rq.checkin("I0007"))).message).toMatchObject({
        code: "10",
        ok: true,
        alert: true,
        alertType: "01",
        itemIdentifier: "I0007",
        patronIdentifier: "P0006",
        destinationLocation: "MAIN",
        holdPatronId: "P0001",
        holdPatronName: "Ada Lovelace",
        screenMessages: ["This item is on hold for a patron. Please hand it to staff."],
      });
    });
  });
});
