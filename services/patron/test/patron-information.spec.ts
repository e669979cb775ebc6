import { commands } from "@circulate/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PatronKey } from "./peer-events.js";
import { ADULT_LIMITS, accepted, cmd, Harness, PIN, ref } from "./support.js";

const S = commands.PatronInformationSummary;

/** Patrons of other cards, ahead of I300 in hold queues. */
const other = (n: number): PatronKey => ({ patronId: `someone-${n}`, card: ref(`X${n}`) });

describe("63 patron information", () => {
  const h = new Harness();
  const info = async (summary: commands.PatronInformationSummary, range: { start?: number; end?: number } = {}) =>
    accepted(await h.send(cmd.information("I300", summary, range, PIN)), "getPatronInformation");
  const holdIds: Record<string, string> = {};
  const ahead: string[] = [];

  beforeAll(async () => {
    await h.start();
    await h.seedLibrary();
    await h.addPatron("I300", { name: "Grace Hopper", phone: "555-0100", homeAddress: "1 Main St", birthDate: "1906-12-09" });
    const p = await h.patron("I300");
    // Below every limit: 2 loans (1 overdue, 1 recalled), $1.50 owed, holds in every state.
    await h.peers.lend(p, "L1", -3);
    await h.peers.lend(p, "L2", 20);
    await h.peers.recall("L2", 10);
    await h.peers.charge(p, 100, { item: { institutionId: "MAIN", barcode: "L9" }, title: "Old book" });
    await h.peers.charge(p, 50);
    // Others' holds first: three ahead in T2's queue, one in T5's.
    for (const n of [1, 2, 3]) ahead.push((await h.peers.placeHold(other(n), "T2", null)).holdId);
    await h.peers.placeHold(other(4), "T5", null);
    for (const [copy, queue] of [["H1", "T1"], ["H2", "T2"], ["H3", "T3"], ["H4", "T4"], ["H5", "T5"]] as const) {
      holdIds[copy] = (await h.peers.placeHold(p, queue, copy)).holdId;
    }
    await h.peers.trap(holdIds.H1!, "H1", { pickupBy: new Date("2030-01-05T00:00:00Z") });
    await h.peers.trap(holdIds.H3!, "H3", { inTransit: true });
  });
  afterAll(() => h.stop());

  it("counts loans, fees and holds from the peers' events, with the limits, contact data and standing", async () => {
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
  });

  it("lists charged items, overdue items and recalled items", async () => {
    const charged = await info(S.CHARGED_ITEMS);
    expect(charged.summary).toBe(S.CHARGED_ITEMS);
    expect(charged.entries.map((e) => e.item?.barcode)).toEqual(["L1", "L2"]);
    expect(charged.entries[0]).toMatchObject({ title: "Title of L1" });
    expect(charged.entries[0]!.dueAt!.getTime()).toBeLessThan(Date.now());
    expect((await info(S.OVERDUE_ITEMS)).entries.map((e) => e.item?.barcode)).toEqual(["L1"]);
    expect((await info(S.RECALL_ITEMS)).entries.map((e) => e.item?.barcode)).toEqual(["L2"]);
  });

  it("lists fine items with amounts and fee ids, oldest first", async () => {
    const fines = await info(S.FINE_ITEMS);
    expect(fines.entries).toHaveLength(2);
    expect(fines.entries[0]).toMatchObject({
      feeId: expect.stringMatching(/^fee-/),
      amount: { currency: "USD", amountMinor: 100 },
      item: { barcode: "L9" },
      title: "Old book",
    });
    expect(fines.entries[1]).toMatchObject({ amount: { amountMinor: 50 } });
  });

  it("lists available holds (on the shelf or in transit) apart from unavailable ones (still waiting), with their places in the queue", async () => {
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

  it("is current right after the peers' events: a return, a renewal, a payment and a hold ahead that closes show in the next 63", async () => {
    const p = await h.patron("I300");
    await h.peers.lend(p, "L3", 5);
    expect((await info(S.CHARGED_ITEMS)).entries.map((e) => e.item?.barcode)).toEqual(["L1", "L2", "L3"]);
    await h.peers.giveBack("L3");
    await h.peers.renew("L1", 7);
    const after = await info(S.OVERDUE_ITEMS);
    expect(after).toMatchObject({ chargedItemsCount: 2, overdueItemsCount: 0, entries: [] });

    const [first] = (await info(S.FINE_ITEMS)).entries;
    await h.peers.pay(p, first!.feeId, 100);
    const fines = await info(S.FINE_ITEMS);
    expect(fines).toMatchObject({ fineItemsCount: 1, standing: { feesOwed: { currency: "USD", amountMinor: 50 } } });

    // A hold ahead in T2's queue closes: I300's moves from 4th to 3rd.
    await h.peers.cancelHold(ahead[0]!);
    expect((await info(S.UNAVAILABLE_HOLDS)).entries.map((e) => e.queuePosition)).toEqual([3, 1, 2]);
    await h.peers.cancelHold(holdIds.H2!);
    expect((await info(S.UNAVAILABLE_HOLDS)).entries.map((e) => e.item?.barcode)).toEqual(["H4", "H5"]);
  });

  it("caps a list at the configured maximum whatever the range asks", async () => {
    const capped = new Harness();
    await capped.start({ maxListEntries: 2 });
    try {
      await capped.seedLibrary();
      await capped.addPatron("I301");
      const p = await capped.patron("I301");
      for (const item of ["A", "B", "C"]) await capped.peers.lend(p, item, 5);
      const reply = accepted(await capped.send(cmd.information("I301", S.CHARGED_ITEMS)), "getPatronInformation");
      expect(reply.entries.map((e) => e.item?.barcode)).toEqual(["A", "B", "C"].slice(0, 2));
      expect(reply.totalEntries).toBe(3);
    } finally {
      await capped.stop();
    }
  });
});
