/**
 * A self-check kiosk (kiosk1, MAIN, every permission) against the whole stack and the demo
 * library: 17 item information, 19 item status update, 11 checkout, 09 checkin, 29 renew,
 * 65 renew all. The tests run in order and share one deployment; each one says which demo
 * records it changes.
 */
import type { ItemInformationResponse } from "@circulate/sip2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoDeployment, eventually, startDemo } from "./support/gateway.js";
import { DEMO_TIME_ZONE, daysBetween, Kiosk, localDay, sipDate } from "./support/kiosk.js";
import * as rq from "./support/requests.js";

describe("kiosk1 at MAIN: items, checkouts, checkins and renewals on the demo library", () => {
  let demo: DemoDeployment;
  let kiosk: Kiosk;

  const itemStatus = async (barcode: string) => (await kiosk.ask(rq.itemInformation(barcode))).message;
  /** Waits for the item service to reflect a loan or hold event (it learns them through JetStream). */
  const itemStatusBecomes = (barcode: string, status: string) =>
    eventually(
      () => itemStatus(barcode),
      (m: ItemInformationResponse) => m.circulationStatus === status,
      `${barcode} to show circulation status ${status}`,
    );

  beforeAll(async () => {
    demo = await startDemo();
    kiosk = await Kiosk.connect(demo.gateway.tcpPort);
    expect((await kiosk.ask(rq.login("kiosk1", "kiosk1pw"))).message).toMatchObject({ code: "94", ok: true });
  });
  afterAll(async () => {
    kiosk?.close();
    await demo?.stop();
  });

  describe("17 item information", () => {
    it("I0001 is available (03) with its title, owner, locations and call number", async () => {
      const m = await itemStatus("I0001");
      expect(m).toMatchObject({
        code: "18",
        circulationStatus: "03",
        securityMarker: "00",
        feeType: "01",
        holdQueueLength: "0",
        itemIdentifier: "I0001",
        titleIdentifier: "Sketch of the Analytical Engine",
        owner: "MAIN",
        mediaType: "001",
        permanentLocation: "MAIN",
        currentLocation: "MAIN",
        callNumber: "621.39 MEN",
      });
      expect(m.dueDate).toBeUndefined();
    });

    it("I0008 is missing (13)", async () => {
      expect(await itemStatus("I0008")).toMatchObject({
        circulationStatus: "13",
        itemIdentifier: "I0008",
        titleIdentifier: "The Art of Computer Programming, Volume 1",
      });
    });

    it("I0005 is charged (04) with the due date of P0005's loan, 10 days ago", async () => {
      const m = await itemStatus("I0005");
      expect(m).toMatchObject({ circulationStatus: "04", itemIdentifier: "I0005", titleIdentifier: "Determination of Trajectories" });
      expect(daysBetween(sipDate(m.dueDate), new Date())).toBe(10);
    });

    it("I0006 is waiting on the hold shelf (08) with one hold and its pickup-by date 5 days ahead", async () => {
      const m = await itemStatus("I0006");
      expect(m).toMatchObject({ circulationStatus: "08", holdQueueLength: "1", itemIdentifier: "I0006" });
      expect(m.holdPickupDate).toBeInstanceOf(Date);
      expect(daysBetween(new Date(), m.holdPickupDate!)).toBe(5);
    });

    it("an unknown barcode is answered 01 with an empty title and a screen message", async () => {
      expect(await itemStatus("I9999")).toEqual({
        code: "18",
        circulationStatus: "01",
        securityMarker: "01",
        feeType: "01",
        transactionDate: expect.any(Date),
        itemIdentifier: "I9999",
        titleIdentifier: "",
        screenMessages: ["Item not recognised. Please see staff."],
      });
    });
  });

  describe("19 item status update", () => {
    it("sets I0003's item properties, which later responses carry", async () => {
      expect((await kiosk.ask(rq.itemStatusUpdate("I0003", "shelf 4"))).message).toEqual({
        code: "20",
        itemPropertiesOk: true,
        transactionDate: expect.any(Date),
        itemIdentifier: "I0003",
        titleIdentifier: "Computer Programming for Everyone",
        itemProperties: "shelf 4",
      });
    });

    it("refuses an unknown item", async () => {
      expect((await kiosk.ask(rq.itemStatusUpdate("I9999", "x"))).message).toMatchObject({
        code: "20",
        itemPropertiesOk: false,
        itemIdentifier: "I9999",
        screenMessages: ["Item not recognised. Please see staff."],
      });
    });
  });

  describe("11 checkout and 09 checkin", () => {
    it("checks I0001 out to P0001 with a due date 21 days ahead, then checks it back in", async () => {
      const out = (await kiosk.ask(rq.checkout("P0001", "I0001"))).message;
      expect(out).toMatchObject({
        code: "12",
        ok: true,
        renewalOk: false,
        magneticMedia: "N",
        desensitize: "Y",
        institutionId: "MAIN",
        patronIdentifier: "P0001",
        itemIdentifier: "I0001",
        titleIdentifier: "Sketch of the Analytical Engine",
        mediaType: "001",
        screenMessages: ["Checked out."],
      });
      const due = sipDate(out.dueDate);
      expect(due.getTime()).toBeGreaterThan(Date.now());
      expect(daysBetween(new Date(), due)).toBe(21);
      await itemStatusBecomes("I0001", "04");

      const back = (await kiosk.ask(rq.checkin("I0001"))).message;
      expect(back).toMatchObject({
        code: "10",
        ok: true,
        resensitize: true,
        magneticMedia: "N",
        alert: false,
        institutionId: "MAIN",
        itemIdentifier: "I0001",
        permanentLocation: "MAIN",
        titleIdentifier: "Sketch of the Analytical Engine",
        patronIdentifier: "P0001",
        callNumber: "621.39 MEN",
        screenMessages: ["Checked in. Thank you."],
      });
      expect(back.alertType).toBeUndefined();
      expect(back.holdPatronId).toBeUndefined();
      await itemStatusBecomes("I0001", "03");
    });

    const refusals = [
      ["I0004 (reference, does not circulate)", "P0001", "I0004", "1234", "Oxford English Dictionary, Volume 1", "This item cannot be borrowed."],
      ["P0002 (owes 12.50, over the 10.00 limit)", "P0002", "I0002", "1234", "On the Economy of Machinery and Manufactures", "You owe too much in fines. Please pay to continue."],
      ["P0003 (card expired)", "P0003", "I0002", "1234", "On the Economy of Machinery and Manufactures", "Your card has expired. Please see staff."],
      ["P0004 (blocked)", "P0004", "I0002", "1234", "On the Economy of Machinery and Manufactures", "Your account is blocked. Please see staff."],
      ["I0006 for P0001 (on the hold shelf for P0005)", "P0001", "I0006", "1234", "Computing Machinery and Intelligence", "This item is on hold for another patron."],
      ["a wrong PIN", "P0001", "I0002", "9999", "On the Economy of Machinery and Manufactures", "Incorrect PIN. Please try again."],
      ["an unknown item", "P0001", "I9999", "1234", "", "Item not recognised. Please see staff."],
      ["I0008 (missing)", "P0001", "I0008", "1234", "The Art of Computer Programming, Volume 1", "This item is listed as missing. Please see staff."],
    ] as const;
    it.each(refusals)("refuses %s: ok=0, desensitize N, no due date, the reason on screen", async (_what, patron, item, pin, title, screen) => {
      const m = (await kiosk.ask(rq.checkout(patron, item, { patronPassword: pin }))).message;
      expect(m).toMatchObject({
        code: "12",
        ok: false,
        renewalOk: false,
        desensitize: "N",
        institutionId: "MAIN",
        patronIdentifier: patron,
        itemIdentifier: item,
        titleIdentifier: title,
        dueDate: "",
        screenMessages: [screen],
      });
    });

    it("P0004's refusal comes with the blocked patron's flags in 23: every privilege denied", async () => {
      expect((await kiosk.ask(rq.patronStatus("P0004"))).message.patronStatus).toEqual({
        chargePrivilegesDenied: true,
        renewalPrivilegesDenied: true,
        recallPrivilegesDenied: true,
        holdPrivilegesDenied: true,
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
      });
    });

    it("checks I0006 out to P0005, for whom it waits: the hold is fulfilled and the item is charged", async () => {
      const m = (await kiosk.ask(rq.checkout("P0005", "I0006"))).message;
      expect(m).toMatchObject({ code: "12", ok: true, desensitize: "Y", patronIdentifier: "P0005", itemIdentifier: "I0006", screenMessages: ["Checked out."] });
      expect(daysBetween(new Date(), sipDate(m.dueDate))).toBe(21);
      // The item service learns both the loan and the fulfilled hold from events.
      const info = await eventually(
        () => itemStatus("I0006"),
        (i) => i.circulationStatus === "04" && i.holdQueueLength === "0",
        "I0006 charged with no hold left",
      );
      expect(info).toMatchObject({ circulationStatus: "04", holdQueueLength: "0" });
      const patron = (await kiosk.ask(rq.patronInformation("P0005"))).message;
      expect(patron).toMatchObject({ holdItemsCount: 0, chargedItemsCount: 2, overdueItemsCount: 1 });
    });
  });

  describe("29 renew and 65 renew all", () => {
    it("kiosk1 resolves its own institution only: P0006 (an EAST card) is not known here", async () => {
      const m = (await kiosk.ask(rq.renew("P0006", "I0007"))).message;
      expect(m).toMatchObject({ code: "30", ok: false, renewalOk: false, patronIdentifier: "P0006", itemIdentifier: "I0007" });
      expect(m.screenMessages).toEqual(["Card not recognised. Please see staff."]);
    });

    it("refuses P0006's renewal of I0007 at kiosk2 (EAST, whole consortium) because P0001 waits for it, keeping the due date", async () => {
      const east = await Kiosk.connect(demo.gateway.tcpPort);
      expect((await east.ask(rq.login("kiosk2", "kiosk2pw"))).message).toMatchObject({ code: "94", ok: true });
      const m = (await east.ask(rq.renew("P0006", "I0007"))).message;
      east.close();
      expect(m).toMatchObject({
        code: "30",
        ok: false,
        renewalOk: false,
        desensitize: "N",
        patronIdentifier: "P0006",
        itemIdentifier: "I0007",
        titleIdentifier: "A Discipline of Programming",
        screenMessages: ["Cannot renew: another patron is waiting for this item."],
      });
      expect(daysBetween(new Date(), sipDate(m.dueDate))).toBe(16);
    });

    it("renews a fresh loan: P0001 checks out I0003 and renews it", async () => {
      const out = (await kiosk.ask(rq.checkout("P0001", "I0003"))).message;
      expect(out).toMatchObject({ code: "12", ok: true, itemProperties: "shelf 4" });
      const m = (await kiosk.ask(rq.renew("P0001", "I0003"))).message;
      expect(m).toMatchObject({
        code: "30",
        ok: true,
        renewalOk: true,
        desensitize: "Y",
        patronIdentifier: "P0001",
        itemIdentifier: "I0003",
        titleIdentifier: "Computer Programming for Everyone",
        screenMessages: ["Renewed."],
      });
      expect(sipDate(m.dueDate).getTime()).toBeGreaterThanOrEqual(sipDate(out.dueDate).getTime());
    });

    it("65 for P0005 renews I0005 and I0006 and reports the DVD at its renewal limit as unrenewed", async () => {
      // The DVD is flagged magnetic media, so the kiosk keeps it away from its desensitizer.
      expect((await kiosk.ask(rq.checkout("P0005", "I0009"))).message).toMatchObject({ ok: true, itemIdentifier: "I0009", magneticMedia: "Y" });
      // DVDs renew once: use it up, so renew-all meets a refusal.
      expect((await kiosk.ask(rq.renew("P0005", "I0009"))).message).toMatchObject({ ok: true, renewalOk: true });
      const m = (await kiosk.ask(rq.renewAll("P0005"))).message;
      expect(m).toMatchObject({ code: "66", ok: true, renewedCount: 2, unrenewedCount: 1, institutionId: "MAIN" });
      expect([...(m.renewedItems ?? [])].sort()).toEqual(["I0005", "I0006"]);
      expect(m.unrenewedItems).toEqual(["I0009"]);
      expect(m.screenMessages).toEqual(["2 renewed, 1 could not be renewed."]);
    });

    it("65 for a patron with a wrong PIN is refused", async () => {
      const m = (await kiosk.ask({ ...rq.renewAll("P0005"), patronPassword: "9999" })).message;
      expect(m).toMatchObject({ code: "66", ok: false, renewedCount: 0, unrenewedCount: 0, screenMessages: ["Incorrect PIN. Please try again."] });
    });
  });

  describe("09 checkin traps a hold", () => {
    it("checking in I0007 (on loan to P0006) traps it for P0001: alert 01, hold patron id and name", async () => {
      const m = (await kiosk.ask(rq.checkin("I0007"))).message;
      expect(m).toMatchObject({
        code: "10",
        ok: true,
        resensitize: true,
        alert: true,
        alertType: "01",
        institutionId: "MAIN",
        itemIdentifier: "I0007",
        permanentLocation: "MAIN",
        titleIdentifier: "A Discipline of Programming",
        patronIdentifier: "P0006",
        destinationLocation: "MAIN",
        holdPatronId: "P0001",
        holdPatronName: "Ada Lovelace",
        screenMessages: ["This item is on hold for a patron. Please hand it to staff."],
      });
      await itemStatusBecomes("I0007", "08");
    });

    it("checking in an item that is not on loan is accepted with alert Y, type 99, so staff look at it", async () => {
      const m = (await kiosk.ask(rq.checkin("I0002"))).message;
      expect(m).toMatchObject({
        code: "10",
        ok: true,
        alert: true,
        alertType: "99",
        itemIdentifier: "I0002",
        titleIdentifier: "On the Economy of Machinery and Manufactures",
        screenMessages: ["Checked in. Thank you."],
      });
      expect(m.patronIdentifier).toBeUndefined();
      expect(m.holdPatronId).toBeUndefined();
    });

    it("checking in an unknown item is refused with alert Y (magnetic media unknown: U)", async () => {
      expect((await kiosk.ask(rq.checkin("I9999"))).message).toMatchObject({
        code: "10",
        ok: false,
        magneticMedia: "U",
        alert: true,
        itemIdentifier: "I9999",
        screenMessages: ["Item not recognised. Please see staff."],
      });
    });

    it("sorter1 (checkinNotOnLoan: refuse) answers a return of I0001, not on loan, ok=0 with alert Y and CV 99 for the exception bin", async () => {
      const sorter = await Kiosk.connect(demo.gateway.tcpPort);
      expect((await sorter.ask(rq.login("sorter1", "sorter1pw"))).message).toMatchObject({ code: "94", ok: true });
      const m = (await sorter.ask(rq.checkin("I0001"))).message;
      sorter.close();
      expect(m).toMatchObject({
        code: "10",
        ok: false,
        resensitize: true,
        magneticMedia: "N",
        alert: true,
        alertType: "99",
        itemIdentifier: "I0001",
        titleIdentifier: "Sketch of the Analytical Engine",
        screenMessages: ["This item was not checked out. Please hand it to staff."],
      });
      expect(m.patronIdentifier).toBeUndefined();
      // Presentation only: the item is where it was, available.
      expect(await itemStatus("I0001")).toMatchObject({ circulationStatus: "03" });
    });
  });

  describe("11 with no block (a kiosk forwarding its offline queue)", () => {
    it("keeps the kiosk's nb due date, in the past: 12 ok=1 with AH = that date, and 17 and 63 show the loan overdue", async () => {
      const nbDue = new Date("2020-01-02T04:59:59Z"); // 2020-01-01 23:59:59 in New York
      const out = await kiosk.ask(rq.checkout("P0001", "I0002", { noBlock: true, nbDueDate: nbDue, patronPassword: "" }));
      expect(out.message).toMatchObject({ code: "12", ok: true, renewalOk: false, magneticMedia: "N", patronIdentifier: "P0001", itemIdentifier: "I0002" });
      expect(out.raw).toContain("|AH20200101    235959|");
      expect(sipDate(out.message.dueDate).getTime()).toBe(nbDue.getTime());

      const info = await itemStatusBecomes("I0002", "04");
      expect(localDay(sipDate(info.dueDate), DEMO_TIME_ZONE)).toBe("2020-01-01");
      const patron = (await kiosk.ask(rq.patronInformation("P0001", "overdueItems"))).message;
      expect(patron.overdueItems).toEqual(["I0002"]);
      expect(patron.overdueItemsCount).toBe(1);
    });
  });
});
