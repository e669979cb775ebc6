import { commands, common, item } from "@circulate/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accepted, refused } from "@circulate/service/testing";
import { DAY_MS, Harness, NOW } from "./harness.js";
import { ADA, checkin, checkout, itemRef, JOHNSON, patronRef, seedLibrary, streamOf } from "./library.js";

describe("checkin (09)", () => {
  const h = new Harness();
  beforeAll(async () => {
    await h.start();
    await seedLibrary(h);
  });
  afterAll(() => h.stop());

  it("closes the loan, and ItemCheckedIn carries the patron, title and fine policy for the fee service", async () => {
    h.world.item("K1");
    const loan = accepted(await h.send(checkout("P0001", "K1")), "checkOutItem");
    const outcome = await h.send(checkin("K1"));

    const reply = accepted(outcome, "checkInItem");
    expect(reply).toMatchObject({
      loanId: loan.loanId,
      borrower: patronRef("P0001"),
      borrowerPatronId: ADA.patronId,
      dueAt: loan.dueAt,
      resensitize: true,
      alert: false,
      cancellation: false,
    });
    const stored = await h.stream(streamOf("K1"));
    expect(stored.map((e) => e.type)).toEqual(["ItemCheckedOut", "ItemCheckedIn"]);
    expect(await h.loanRow("K1")).toBeUndefined();

    const { event, envelope } = await h.published(stored[1]!.eventId);
    expect(envelope.causationId).toBe(outcome.commandId);
    expect(event).toMatchObject({
      type: "ItemCheckedIn",
      event: {
        loanId: loan.loanId,
        patronId: ADA.patronId,
        patron: patronRef("P0001"),
        title: "Title of K1",
        institutionId: "MAIN",
        timeZone: "America/New_York",
        returnedAt: NOW,
        overdueDays: 0,
        finePolicy: { perDay: { currency: "USD", amountMinor: 25 }, max: { currency: "USD", amountMinor: 500 }, graceDays: 1 },
      },
    });
    // Each event carries the item's loan as it is after it: the checkout's is the loan, the checkin's none.
    expect(event.type === "ItemCheckedIn" && event.event.current).toBeUndefined();
    const out = (await h.published(stored[0]!.eventId)).event;
    expect(out.type === "ItemCheckedOut" && out.event.current).toMatchObject({
      loanId: loan.loanId,
      item: { institutionId: "MAIN", barcode: "K1" },
      patronId: ADA.patronId,
      patron: patronRef("P0001"),
      dueAt: loan.dueAt,
      renewalCount: 0,
      overdue: false,
    });
  });

  it("checks in an item that was not on loan, with an alert", async () => {
    h.world.item("K2", { state: item.ItemState.MISSING });
    const reply = accepted(await h.send(checkin("K2")), "checkInItem");
    expect(reply).toMatchObject({ loanId: "", alert: true, alertType: common.AlertType.OTHER, borrower: undefined });
    const [stored] = await h.stream(streamOf("K2"));
    expect(stored!.type).toBe("ItemCheckedIn");
    expect(stored!.data).not.toHaveProperty("loanId");
  });

  it("a copy a hold waits for is trapped here: alert type, destination, the hold patron's id and name, and the hold for the hold service to apply", async () => {
    h.world.item("K3");
    h.world.item("K3B", { titleId: "title-K3" });
    await h.send(checkout("P0001", "K3"));
    h.world.hold({
      holdId: "hold-3",
      patronId: JOHNSON.patronId,
      patron: patronRef(JOHNSON.barcode),
      titleId: "title-K3",
      pickupLocation: "EAST-DESK",
      placedAt: new Date(NOW.getTime() - DAY_MS),
    });
    const envelope = h.envelope(checkin("K3"));
    const [outcome, again] = await h.publish(envelope, 2);

    const reply = accepted(outcome!, "checkInItem");
    expect(reply).toMatchObject({ alert: true, alertType: common.AlertType.REMOTE_HOLD, destinationLocation: "EAST-DESK" });
    expect(reply.hold).toMatchObject({ holdId: "hold-3", patronId: JOHNSON.patronId, patronName: "Katherine Johnson", patron: patronRef("P0005"), inTransit: true });
    expect(again!.result).toEqual(outcome!.result);
    const stored = await h.stream(streamOf("K3"));
    expect(stored).toHaveLength(2);
    expect(stored[1]!.data).toMatchObject({ holdId: "hold-3", destinationLocation: "EAST-DESK", inTransit: true });

    // Another copy of the title, returned next, finds the hold taken.
    const next = accepted(await h.send(checkin("K3B")), "checkInItem");
    expect(next.hold).toBeUndefined();
    expect([common.AlertType.LOCAL_HOLD, common.AlertType.REMOTE_HOLD]).not.toContain(next.alertType);
  });

  it("of two holds the older traps; a hold whose pickup is here puts the copy on the shelf", async () => {
    h.world.item("K7");
    h.world.hold({ holdId: "hold-7b", patronId: ADA.patronId, titleId: "title-K7", pickupLocation: "EAST-DESK", placedAt: new Date(NOW.getTime() - DAY_MS) });
    h.world.hold({ holdId: "hold-7a", patronId: JOHNSON.patronId, titleId: "title-K7", pickupLocation: "MAIN-DESK", placedAt: new Date(NOW.getTime() - 2 * DAY_MS) });
    const reply = accepted(await h.send(checkin("K7")), "checkInItem");
    expect(reply).toMatchObject({ alert: true, alertType: common.AlertType.LOCAL_HOLD, destinationLocation: "MAIN-DESK" });
    expect(reply.hold).toMatchObject({ holdId: "hold-7a", inTransit: false });
  });

  it("a backdated return (book drop) counts the days late up to the return date", async () => {
    h.world.item("K4");
    // Due Friday 28 February 2025 (23:59:59 EST), returned Monday 10 March: 10 local days late.
    const dueAt = new Date("2025-03-01T04:59:59.000Z");
    const imported = await h.call(h.loans.importLoans, {
      loans: [{ item: itemRef("K4"), patron: patronRef("P0001"), checkedOutAt: new Date(dueAt.getTime() - 14 * DAY_MS), dueAt, renewalCount: 0 }],
    });
    expect(imported).toMatchObject({ imported: 1 });
    const returnDate = new Date(NOW.getTime() - 2 * DAY_MS);
    const reply = accepted(await h.send(checkin("K4", { returnDate })), "checkInItem");
    expect(reply).toMatchObject({ borrowerPatronId: ADA.patronId, dueAt });
    const stored = await h.stream(streamOf("K4"));
    expect(stored.map((e) => e.type)).toEqual(["LoanImported", "ItemCheckedIn"]);
    expect(stored[1]!.data).toMatchObject({ returnedAt: returnDate.toISOString(), checkedInAt: NOW.toISOString(), overdueDays: 10, overdueOpenDays: 10 });
  });

  it("cancel (BI=Y) reverses the previous transaction: a checkin undoes the checkout, a checkout undoes the checkin", async () => {
    h.world.item("K5");
    const loan = accepted(await h.send(checkout("P0001", "K5")), "checkOutItem");
    const undone = accepted(await h.send(checkin("K5", { cancel: true })), "checkInItem");
    expect(undone).toMatchObject({ cancellation: true, loanId: loan.loanId, borrowerPatronId: ADA.patronId });
    expect(await h.loanRow("K5")).toBeUndefined();

    h.world.item("K6");
    const second = accepted(await h.send(checkout("P0001", "K6")), "checkOutItem");
    await h.send(checkin("K6"));
    const restored = accepted(await h.send(checkout("P0001", "K6", { cancel: true })), "checkOutItem");
    expect(restored).toMatchObject({ cancellation: true, loanId: second.loanId, dueAt: second.dueAt });
    expect(await h.loanRow("K6")).toMatchObject({ loan_id: second.loanId, due_at: second.dueAt });

    const types = async (b: string) => (await h.stream(streamOf(b))).map((e) => e.type);
    expect(await types("K5")).toEqual(["ItemCheckedOut", "CheckoutCancelled"]);
    expect(await types("K6")).toEqual(["ItemCheckedOut", "ItemCheckedIn", "CheckinCancelled"]);
    const cancelled = (await h.stream(streamOf("K6")))[2]!;
    const { event } = await h.published(cancelled.eventId);
    expect(event).toMatchObject({ type: "CheckinCancelled", event: { loanId: second.loanId, dueAt: second.dueAt } });

    // Only once: the cancel itself cannot be cancelled.
    expect(refused(await h.send(checkout("P0001", "K6", { cancel: true }))).reason).toBe(commands.RefusalReason.NOTHING_TO_CANCEL);
  });

  it("refuses a checkin of an unknown item, with an alert for staff", async () => {
    const refusal = refused(await h.send(checkin("NOPE")));
    expect(refusal).toMatchObject({ reason: commands.RefusalReason.ITEM_NOT_FOUND, alertType: common.AlertType.OTHER });
  });
});
