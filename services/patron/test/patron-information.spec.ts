import { commands, hold } from "@circulate/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCharge, aHold, aLoan } from "./peers.standin.js";
import { ADULT_LIMITS, accepted, cmd, Harness, PIN } from "./support.js";

const S = commands.PatronInformationSummary;
const H = hold.HoldStatus;

describe("63 patron information", () => {
  const h = new Harness();
  const info = async (summary: commands.PatronInformationSummary, range: { start?: number; end?: number } = {}) =>
    accepted(await h.send(cmd.information("I300", summary, range, PIN)), "getPatronInformation");

  beforeAll(async () => {
    await h.start();
    await h.seedLibrary();
    await h.addPatron("I300", { name: "Grace Hopper", phone: "555-0100", homeAddress: "1 Main St", birthDate: "1906-12-09" });
    // Below every limit: 2 loans (1 overdue, 1 recalled), $1.50 owed, holds in every state.
    const u = h.peers.of("I300");
    u.loans.push(aLoan("L1", -3), aLoan("L2", 10, { recalled: true }));
    u.charges.push(aCharge(100, { item: { institutionId: "MAIN", barcode: "L9" }, title: "Old book" }), aCharge(50));
    u.holds.push(
      aHold("H1", H.AVAILABLE, { pickupBy: new Date("2030-01-05T00:00:00Z") }),
      aHold("H2", H.WAITING, { queuePosition: 4 }),
      aHold("H3", H.IN_TRANSIT),
      aHold("H4", H.WAITING, { queuePosition: 1 }),
      aHold("H5", H.WAITING, { queuePosition: 2 }),
    );
  });
  afterAll(() => h.stop());

  it("gathers counts from the loan, fee and hold services, with the limits, contact data and standing", async () => {
    const reply = await info(S.UNSPECIFIED);
    expect(reply).toMatchObject({
      chargedItemsCount: 2,
      overdueItemsCount: 1,
      recallItemsCount: 1,
      fineItemsCount: 2,
      holdItemsCount: 2,
      unavailableHoldsCount: 3,
      chargedItemsLimit: ADULT_LIMITS.maxLoans,
      overdueItemsLimit: ADULT_LIMITS.maxOverdue,
      holdItemsLimit: ADULT_LIMITS.maxHolds,
      feeLimit: ADULT_LIMITS.feeLimit,
      email: "i300@example.org",
      phone: "555-0100",
      homeAddress: "1 Main St",
      birthDate: "1906-12-09",
      patronType: "adult",
      homeLocation: "MAIN",
      entries: [],
      totalEntries: 0,
    });
    expect(reply.standing).toMatchObject({ name: "Grace Hopper", validPatron: true, pinValid: true, feesOwed: { currency: "USD", amountMinor: 150 } });
    expect(h.peers.callsFor("I300")).toMatchObject({ loan: 1, fee: 1, hold: 1 });
  });

  it("lists charged items and overdue items from the loan service", async () => {
    const charged = await info(S.CHARGED_ITEMS);
    expect(charged.summary).toBe(S.CHARGED_ITEMS);
    expect(charged.entries.map((e) => e.item?.barcode)).toEqual(["L1", "L2"]);
    expect(charged.entries[0]).toMatchObject({ title: "Title of L1", dueAt: h.peers.of("I300").loans[0]!.dueAt });
    expect((await info(S.OVERDUE_ITEMS)).entries.map((e) => e.item?.barcode)).toEqual(["L1"]);
    expect((await info(S.RECALL_ITEMS)).entries.map((e) => e.item?.barcode)).toEqual(["L2"]);
  });

  it("lists fine items from the fee service with amounts and fee ids", async () => {
    const fines = await info(S.FINE_ITEMS);
    const charges = h.peers.of("I300").charges;
    expect(fines.entries).toHaveLength(2);
    expect(fines.entries[0]).toMatchObject({
      feeId: charges[0]!.feeId,
      amount: { currency: "USD", amountMinor: 100 },
      item: { barcode: "L9" },
      title: "Old book",
    });
    expect(fines.entries[1]).toMatchObject({ feeId: charges[1]!.feeId, amount: { amountMinor: 50 } });
  });

  it("lists available holds (on the shelf or in transit) apart from unavailable ones (still waiting)", async () => {
    const available = await info(S.HOLD_ITEMS);
    expect(available.entries.map((e) => e.item?.barcode)).toEqual(["H1", "H3"]);
    expect(available.entries[0]).toMatchObject({ queuePosition: 0, pickupLocation: "MAIN", expiresAt: new Date("2030-01-05T00:00:00Z") });
    const waiting = await info(S.UNAVAILABLE_HOLDS);
    expect(waiting.entries.map((e) => e.item?.barcode)).toEqual(["H2", "H4", "H5"]);
    expect(waiting.entries.map((e) => e.queuePosition)).toEqual([4, 1, 2]);
  });

  it("honours the start/end item range (1-based, inclusive) and reports the whole list's length", async () => {
    const middle = await info(S.UNAVAILABLE_HOLDS, { start: 2, end: 3 });
    expect(middle.entries.map((e) => e.item?.barcode)).toEqual(["H4", "H5"]);
    expect(middle.totalEntries).toBe(3);
    expect((await info(S.UNAVAILABLE_HOLDS, { start: 2 })).entries.map((e) => e.item?.barcode)).toEqual(["H4", "H5"]);
    expect((await info(S.UNAVAILABLE_HOLDS, { end: 1 })).entries.map((e) => e.item?.barcode)).toEqual(["H2"]);
    expect((await info(S.UNAVAILABLE_HOLDS, { start: 3, end: 9 })).entries.map((e) => e.item?.barcode)).toEqual(["H5"]);
    const past = await info(S.UNAVAILABLE_HOLDS, { start: 4, end: 5 });
    expect(past.entries).toEqual([]);
    expect(past.totalEntries).toBe(3);
  });

  it("caps a list at the configured maximum whatever the range asks", async () => {
    const capped = new Harness();
    await capped.start({ maxListEntries: 2 });
    try {
      await capped.seedLibrary();
      await capped.addPatron("I301");
      capped.peers.of("I301").loans.push(aLoan("A", 5), aLoan("B", 5), aLoan("C", 5));
      const reply = accepted(await capped.send(cmd.information("I301", S.CHARGED_ITEMS)), "getPatronInformation");
      expect(reply.entries.map((e) => e.item?.barcode)).toEqual(["A", "B"]);
      expect(reply.totalEntries).toBe(3);
    } finally {
      await capped.stop();
    }
  });

});
