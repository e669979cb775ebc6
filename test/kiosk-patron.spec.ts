/**
 * A kiosk's patron side (kiosk1, MAIN) against the whole stack and the demo library:
 * 23 patron status, 63 patron information, 37 fee paid, 15 holds, 01 block, 25 enable,
 * 35 end session. The tests run in order on one deployment.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { PatronStatus } from "@circulate/sip2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS_FILE, type DemoDeployment, startDemo } from "./support/gateway.js";
import { Kiosk } from "./support/kiosk.js";
import * as rq from "./support/requests.js";

const CLEAR: PatronStatus = {
  chargePrivilegesDenied: false,
  renewalPrivilegesDenied: false,
  recallPrivilegesDenied: false,
  holdPrivilegesDenied: false,
  cardReportedLost: false,
  tooManyItemsCharged: false,
  tooManyItemsOverdue: false,
  tooManyRenewals: false,
  tooManyClaimsOfItemsReturned: false,
  tooManyItemsLost: false,
  excessiveOutstandingFines: false,
  excessiveOutstandingFees: false,
  recallOverdue: false,
  tooManyItemsBilled: false,
};
const BLOCKED: PatronStatus = { ...CLEAR, chargePrivilegesDenied: true, renewalPrivilegesDenied: true, recallPrivilegesDenied: true, holdPrivilegesDenied: true };
const OVER_FINES: PatronStatus = { ...CLEAR, chargePrivilegesDenied: true, renewalPrivilegesDenied: true, holdPrivilegesDenied: true, excessiveOutstandingFines: true };
/** A fine line of 64 AV: `<fee id> <amount> "<fee type>" <description>`. */
const FINE_LINE = /^(\S+) (\d+\.\d\d) "([a-z ]+)" (.+)$/;

describe("kiosk1 at MAIN: patrons, fees and holds on the demo library", () => {
  let demo: DemoDeployment;
  let kiosk: Kiosk;
  let accountsDir: string | undefined;

  beforeAll(async () => {
    // The demo accounts plus lobby1: a patron-information terminal in public view (kiosk1's password).
    const accounts = await readFile(DEMO_ACCOUNTS_FILE, "utf8");
    const hash = /login: kiosk1\n\s+passwordHash: "([^"]+)"/.exec(accounts)?.[1];
    accountsDir = await mkdtemp(join(tmpdir(), "circ-e2e-accounts-"));
    const accountsFile = join(accountsDir, "accounts.yaml");
    const lobby = `\n  - login: lobby1\n    passwordHash: "${hash}"\n    institutionId: MAIN\n    permissions: [patron]\n    patronPrivacy: noContact\n`;
    await writeFile(accountsFile, accounts + lobby);
    demo = await startDemo({ gateway: { accountsFile } });
    kiosk = await Kiosk.connect(demo.gateway.tcpPort);
    expect((await kiosk.ask(rq.login("kiosk1", "kiosk1pw"))).message).toMatchObject({ code: "94", ok: true });
  });
  afterAll(async () => {
    kiosk?.close();
    await demo?.stop();
    if (accountsDir) await rm(accountsDir, { recursive: true, force: true });
  });

  describe("23 patron status", () => {
    it("P0001 has every privilege, is a valid patron with a valid PIN and owes nothing", async () => {
      expect((await kiosk.ask(rq.patronStatus("P0001"))).message).toEqual({
        code: "24",
        patronStatus: CLEAR,
        language: "001",
        transactionDate: expect.any(Date),
        institutionId: "MAIN",
        patronIdentifier: "P0001",
        personalName: "Ada Lovelace",
        validPatron: true,
        validPatronPassword: true,
        currencyType: "USD",
        feeAmount: "0.00",
      });
    });

    it("P0001 with a wrong PIN: valid patron, PIN not valid, told so", async () => {
      expect((await kiosk.ask(rq.patronStatus("P0001", "9999"))).message).toMatchObject({
        patronStatus: CLEAR,
        validPatron: true,
        validPatronPassword: false,
        screenMessages: ["Incorrect PIN. Please try again."],
      });
    });

    it("P0002 carries the excessive-fines flag and owes 12.50", async () => {
      expect((await kiosk.ask(rq.patronStatus("P0002"))).message).toMatchObject({
        patronStatus: OVER_FINES,
        personalName: "Charles Babbage",
        validPatron: true,
        validPatronPassword: true,
        currencyType: "USD",
        feeAmount: "12.50",
      });
    });

    it("P0004 is blocked: charge, renewal, recall and hold privileges denied", async () => {
      expect((await kiosk.ask(rq.patronStatus("P0004"))).message).toMatchObject({
        patronStatus: BLOCKED,
        personalName: "Alan Turing",
        validPatron: true,
        validPatronPassword: true,
      });
    });

    it("an unknown patron is not valid and has no privileges", async () => {
      expect((await kiosk.ask(rq.patronStatus("P9999"))).message).toMatchObject({
        patronStatus: BLOCKED,
        personalName: "",
        validPatron: false,
        validPatronPassword: false,
        screenMessages: ["Card not recognised. Please see staff."],
      });
    });
  });

  describe("63 patron information", () => {
    it("P0005 without a list: counts, limits and contact data, no item lines", async () => {
      const m = (await kiosk.ask(rq.patronInformation("P0005"))).message;
      expect(m).toMatchObject({
        code: "64",
        patronStatus: CLEAR,
        personalName: "Katherine Johnson",
        holdItemsCount: 1,
        overdueItemsCount: 1,
        chargedItemsCount: 1,
        fineItemsCount: 0,
        recallItemsCount: 0,
        unavailableHoldsCount: 0,
        holdItemsLimit: 10,
        overdueItemsLimit: 5,
        chargedItemsLimit: 20,
        feeLimit: "10.00",
        validPatron: true,
        validPatronPassword: true,
        emailAddress: "katherine@example.org",
        homePhoneNumber: "+1 212 555 0105",
        homeAddress: "210 Langley Boulevard, Hampton VA 23666",
        patronClass: "adult",
      });
      for (const list of ["holdItems", "overdueItems", "chargedItems", "fineItems", "recallItems", "unavailableHoldItems"] as const) {
        expect(m[list], list).toBeUndefined();
      }
    });

    it("a terminal with patronPrivacy noContact (lobby1) gets the same 64 without BD, BE and BF", async () => {
      const lobby = await Kiosk.connect(demo.gateway.tcpPort);
      expect((await lobby.ask(rq.login("lobby1", "kiosk1pw"))).message).toMatchObject({ code: "94", ok: true });
      const reply = await lobby.ask(rq.patronInformation("P0005"));
      lobby.close();
      expect(reply.message).toMatchObject({ code: "64", personalName: "Katherine Johnson", chargedItemsCount: 1, validPatronPassword: true, patronClass: "adult" });
      expect(reply.raw).not.toMatch(/\|B[DEF]/);
    });

    it("P0005's charged (AU), overdue (AT) and hold (AS) lists name her items", async () => {
      expect((await kiosk.ask(rq.patronInformation("P0005", "chargedItems"))).message.chargedItems).toEqual(["I0005"]);
      expect((await kiosk.ask(rq.patronInformation("P0005", "overdueItems"))).message.overdueItems).toEqual(["I0005"]);
      const holds = (await kiosk.ask(rq.patronInformation("P0005", "holdItems"))).message;
      expect(holds.holdItems).toEqual(["I0006"]);
      expect(holds.chargedItems).toBeUndefined();
    });

    it("honours the start and end item (BP/BQ) of the charged list", async () => {
      for (const item of ["I0003", "I0009"]) {
        expect((await kiosk.ask(rq.checkout("P0005", item))).message).toMatchObject({ ok: true, itemIdentifier: item });
      }
      const all = (await kiosk.ask(rq.patronInformation("P0005", "chargedItems"))).message;
      expect(all.chargedItemsCount).toBe(3);
      expect([...(all.chargedItems ?? [])].sort()).toEqual(["I0003", "I0005", "I0009"]);
      const list = all.chargedItems!;
      expect((await kiosk.ask(rq.patronInformation("P0005", "chargedItems", { start: 2, end: 3 }))).message.chargedItems).toEqual(list.slice(1, 3));
      expect((await kiosk.ask(rq.patronInformation("P0005", "chargedItems", { start: 1, end: 1 }))).message.chargedItems).toEqual(list.slice(0, 1));
      const tail = (await kiosk.ask(rq.patronInformation("P0005", "chargedItems", { start: 3, end: 9 }))).message;
      expect(tail.chargedItems).toEqual(list.slice(2));
      // The count is the patron's, not the page's.
      expect(tail.chargedItemsCount).toBe(3);
    });

    it("P0002's fine items (AV) are the two charges with fee id, amount, type and description", async () => {
      const m = (await kiosk.ask(rq.patronInformation("P0002", "fineItems"))).message;
      expect(m).toMatchObject({ fineItemsCount: 2, feeAmount: "12.50", patronStatus: OVER_FINES });
      const lines = (m.fineItems ?? []).map((l) => FINE_LINE.exec(l)?.slice(2));
      expect(lines.sort()).toEqual([
        ["5.00", "damage", "Damaged dust jacket"],
        ["7.50", "overdue", "Overdue: On the Economy of Machinery and Manufactures"],
      ]);
      const second = (await kiosk.ask(rq.patronInformation("P0002", "fineItems", { start: 2, end: 2 }))).message;
      expect(second.fineItems).toEqual([m.fineItems![1]]);
    });
  });

  describe("37 fee paid", () => {
    it("refuses a payment of more than P0002 owes, and changes nothing", async () => {
      expect((await kiosk.ask(rq.feePaid("P0002", "20.00"))).message).toEqual({
        code: "38",
        paymentAccepted: false,
        transactionDate: expect.any(Date),
        institutionId: "MAIN",
        patronIdentifier: "P0002",
        screenMessages: ["Payment is more than you owe."],
      });
      expect((await kiosk.ask(rq.patronStatus("P0002"))).message.feeAmount).toBe("12.50");
    });

    it("pays the 7.50 overdue fine by its fee id (CG) from the 64 list, then the rest without one", async () => {
      const fines = (await kiosk.ask(rq.patronInformation("P0002", "fineItems"))).message.fineItems ?? [];
      const overdue = fines.map((l) => FINE_LINE.exec(l)).find((f) => f?.[3] === "overdue");
      expect(overdue).toBeDefined();
      const byId = (await kiosk.ask(rq.feePaid("P0002", "7.50", { feeIdentifier: overdue![1]!, feeType: "04" }))).message;
      expect(byId).toMatchObject({
        code: "38",
        paymentAccepted: true,
        patronIdentifier: "P0002",
        screenMessages: ["Payment accepted. Thank you.", "Balance owed: 5.00 USD."],
      });
      expect(byId.transactionId).toMatch(/\S+/);
      expect(byId.printLines).toEqual([`Receipt ${byId.transactionId}`, "Paid 7.50 USD", "Balance 5.00 USD"]);
      const left = (await kiosk.ask(rq.patronInformation("P0002", "fineItems"))).message.fineItems ?? [];
      expect(left.map((l) => FINE_LINE.exec(l)?.slice(2))).toEqual([["5.00", "damage", "Damaged dust jacket"]]);

      const rest = (await kiosk.ask(rq.feePaid("P0002", "5.00"))).message;
      expect(rest).toMatchObject({ paymentAccepted: true, screenMessages: ["Payment accepted. Thank you.", "Balance owed: 0.00 USD."] });
      expect(rest.transactionId).not.toBe(byId.transactionId);
    });

    it("then 23 shows no fines and P0002 may borrow again", async () => {
      expect((await kiosk.ask(rq.patronStatus("P0002"))).message).toMatchObject({ patronStatus: CLEAR, feeAmount: "0.00", validPatron: true });
      expect((await kiosk.ask(rq.checkout("P0002", "I0001"))).message).toMatchObject({ code: "12", ok: true, itemIdentifier: "I0001" });
    });

    it("refuses a payment from a patron who owes nothing", async () => {
      expect((await kiosk.ask(rq.feePaid("P0001", "1.00"))).message).toMatchObject({
        paymentAccepted: false,
        screenMessages: ["Payment is more than you owe."],
      });
    });
  });

  describe("15 hold", () => {
    it("places (+) a hold for P0001 on I0002, changes (*) its pickup, cancels (-) it", async () => {
      const placed = (await kiosk.ask(rq.hold("+", "P0001", "I0002", { pickupLocation: "MAIN" }))).message;
      expect(placed).toMatchObject({
        code: "16",
        ok: true,
        available: true,
        queuePosition: "1",
        pickupLocation: "MAIN",
        institutionId: "MAIN",
        patronIdentifier: "P0001",
        itemIdentifier: "I0002",
        titleIdentifier: "On the Economy of Machinery and Manufactures",
        screenMessages: ["Hold placed."],
      });
      // Waiting holds are "unavailable holds" (CD): the demo's copy hold by barcode, this title hold by title.
      const mine = (await kiosk.ask(rq.patronInformation("P0001", "unavailableHolds"))).message;
      expect(mine).toMatchObject({ unavailableHoldsCount: 2, holdItemsCount: 0 });
      expect(mine.unavailableHoldItems).toEqual(["I0007", "On the Economy of Machinery and Manufactures"]);

      const changed = (await kiosk.ask(rq.hold("*", "P0001", "I0002", { pickupLocation: "EAST" }))).message;
      expect(changed).toMatchObject({ code: "16", ok: true, pickupLocation: "EAST", itemIdentifier: "I0002", screenMessages: ["Hold updated."] });

      const cancelled = (await kiosk.ask(rq.hold("-", "P0001", "I0002"))).message;
      expect(cancelled).toMatchObject({ code: "16", ok: true, patronIdentifier: "P0001", itemIdentifier: "I0002", screenMessages: ["Hold cancelled."] });
      const after = (await kiosk.ask(rq.patronInformation("P0001", "unavailableHolds"))).message;
      expect(after).toMatchObject({ unavailableHoldsCount: 1, unavailableHoldItems: ["I0007"] });
    });

    it("refuses to cancel a hold that is not there", async () => {
      expect((await kiosk.ask(rq.hold("-", "P0001", "I0002"))).message).toMatchObject({
        code: "16",
        ok: false,
        available: false,
        itemIdentifier: "I0002",
        screenMessages: ["No such hold found."],
      });
    });

    it("refuses a second hold by the same patron on the same item", async () => {
      // P0001 already waits for I0007 (demo).
      expect((await kiosk.ask(rq.hold("+", "P0001", "I0007", { pickupLocation: "MAIN" }))).message).toMatchObject({
        ok: false,
        screenMessages: ["You already have a hold on this item."],
      });
    });
  });

  describe("01 block patron, 25 patron enable, 35 end session", () => {
    it("01 blocks P0001: every privilege denied, and a checkout is refused", async () => {
      expect((await kiosk.ask(rq.blockPatron("P0001", "Card retained at kiosk"))).message).toMatchObject({
        code: "24",
        patronStatus: BLOCKED,
        patronIdentifier: "P0001",
        personalName: "Ada Lovelace",
        screenMessages: ["This card has been blocked. Please see staff."],
      });
      expect((await kiosk.ask(rq.patronStatus("P0001"))).message.patronStatus).toEqual(BLOCKED);
      expect((await kiosk.ask(rq.checkout("P0001", "I0002"))).message).toMatchObject({
        ok: false,
        screenMessages: ["Your account is blocked. Please see staff."],
      });
    });

    it("25 enables P0001 again: privileges back, and a checkout goes through", async () => {
      expect((await kiosk.ask(rq.patronEnable("P0001"))).message).toEqual({
        code: "26",
        patronStatus: CLEAR,
        language: "001",
        transactionDate: expect.any(Date),
        institutionId: "MAIN",
        patronIdentifier: "P0001",
        personalName: "Ada Lovelace",
        validPatron: true,
        validPatronPassword: true,
      });
      expect((await kiosk.ask(rq.checkout("P0001", "I0002"))).message).toMatchObject({ ok: true, itemIdentifier: "I0002" });
    });

    it("35 ends P0001's session", async () => {
      expect((await kiosk.ask(rq.endSession("P0001"))).message).toEqual({
        code: "36",
        endSession: true,
        transactionDate: expect.any(Date),
        institutionId: "MAIN",
        patronIdentifier: "P0001",
        screenMessages: ["Thank you. Goodbye."],
      });
    });

    it("35 is accepted for any patron, known or not: a session can always end", async () => {
      expect((await kiosk.ask(rq.endSession("P9999"))).message).toMatchObject({
        code: "36",
        endSession: true,
        patronIdentifier: "P9999",
        screenMessages: ["Thank you. Goodbye."],
      });
    });
  });
  describe("PIN lock-out (P0003; the demo locks at 5 wrong PINs, with no lock time)", () => {
    const LOCKED = "Too many incorrect PINs. Please see staff.";

    it("the fifth wrong PIN locks: the 24 says so instead of inviting another try", async () => {
      // Different wrong PINs: identical requests in one second would be one kiosk retry.
      for (let i = 1; i <= 4; i++) {
        expect((await kiosk.ask(rq.patronStatus("P0003", `000${i}`))).message).toMatchObject({ validPatronPassword: false, screenMessages: ["Incorrect PIN. Please try again."] });
      }
      expect((await kiosk.ask(rq.patronStatus("P0003", "0005"))).message).toMatchObject({ validPatronPassword: false, screenMessages: [LOCKED] });
    });

    it("then 23, 63, 11 and 25 with the right PIN all say the PIN is locked", async () => {
      expect((await kiosk.ask(rq.patronStatus("P0003"))).message).toMatchObject({ code: "24", validPatron: true, validPatronPassword: false, screenMessages: [LOCKED] });
      expect((await kiosk.ask(rq.patronInformation("P0003"))).message).toMatchObject({ code: "64", validPatronPassword: false, screenMessages: [LOCKED] });
      expect((await kiosk.ask(rq.checkout("P0003", "I0003"))).message).toMatchObject({ code: "12", ok: false, screenMessages: [LOCKED] });
      expect((await kiosk.ask({ ...rq.patronEnable("P0003"), patronPassword: rq.PIN })).message).toMatchObject({ code: "26", screenMessages: [LOCKED] });
    });

    it("staff lift it with circulate-admin, and the right PIN works again", async () => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ["--conditions=@circulate/source", "--import", "tsx", "libs/admin/src/main.ts", "patron", "unlock-pin", "--institution", "MAIN", "--patron", "P0003", "--staff", "e2e-desk", "--patron-grpc", demo.stack.addresses.patron],
        { cwd: new URL("..", import.meta.url).pathname },
      );
      expect(JSON.parse(stdout)).toMatchObject({ patron: { institutionId: "MAIN", barcode: "P0003" }, pinLocked: false });
      const status = (await kiosk.ask(rq.patronStatus("P0003"))).message;
      expect(status).toMatchObject({ code: "24", validPatron: true, validPatronPassword: true });
      expect(JSON.stringify(status)).not.toContain("incorrect PIN");
    });
  });
});
