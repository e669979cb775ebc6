import { type AnyEvent, commands, type EventOf, type EventType, events, fee, hold, loan, packEvent, uuidv7 } from "@circulate/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectFeeEvent } from "../src/app/fee-events.projection.js";
import { projectHoldEvent } from "../src/app/hold-events.projection.js";
import { projectLoanEvent } from "../src/app/loan-events.projection.js";
import { loanAfterCheckout } from "./peer-events.js";
import { accepted, cmd, Harness, PIN, ref, standingOf } from "./support.js";

const S = commands.PatronInformationSummary;
const H = hold.HoldStatus;
const usd = (amountMinor: number) => ({ currency: "USD", amountMinor });
const DAY_MS = 86_400_000;

/** A peer's event as the consumer gets it: decoded, in its envelope. */
function delivered<T extends EventType>(type: T, event: EventOf<T>, streamId: string, streamPosition: number) {
  const envelope = events.EventEnvelope.create({ eventId: uuidv7(), streamId, streamPosition, occurredAt: new Date(), ...packEvent(type, event) });
  return { event: { type, event } as AnyEvent, envelope };
}

/** ItemCheckedOut carrying the loan after it, as the loan service publishes it. */
function checkout(fields: Partial<loan.ItemCheckedOut>): loan.ItemCheckedOut & { current: loan.Loan } {
  const event = loan.ItemCheckedOut.fromPartial(fields);
  return { ...event, current: loanAfterCheckout(event) };
}

/** LoanRenewed of `before` to `dueAt`, carrying the loan after it. */
function renewal(before: loan.Loan, dueAt: Date): loan.LoanRenewed {
  const current = { ...before, dueAt, renewalCount: before.renewalCount + 1 };
  return loan.LoanRenewed.fromPartial({ loanId: before.loanId, itemId: before.itemId, patronId: before.patronId, previousDueAt: before.dueAt, dueAt, current });
}

describe("projections of loan, fee and hold events", () => {
  const h = new Harness();
  type Delivered = ReturnType<typeof delivered>;
  /** Applies events as the consumer does: each in its own transaction. */
  const apply = async (project: typeof projectLoanEvent, ...list: Delivered[]) => {
    for (const d of list) await h.service.db.transaction().execute((trx) => project(trx, d.event, d.envelope));
  };
  /** Everything the projections hold, without the write times. */
  const snapshot = async () => {
    const db = h.service.db;
    const strip = <R extends { updated_at?: unknown }>(rows: R[]) => rows.map(({ updated_at: _, ...rest }) => rest);
    return {
      streams: await db.selectFrom("patron_peer_streams").selectAll().orderBy("stream_id").execute(),
      loans: strip(await db.selectFrom("patron_loans").selectAll().orderBy("loan_id").execute()),
      accounts: strip(await db.selectFrom("patron_fee_accounts").selectAll().orderBy("stream_id").execute()),
      charges: strip(await db.selectFrom("patron_fee_charges").selectAll().orderBy("fee_id").execute()),
      holds: strip(await db.selectFrom("patron_holds").selectAll().orderBy("hold_id").execute()),
    };
  };
  let patronId = "";

  beforeAll(async () => {
    await h.start();
    await h.seedLibrary();
    await h.addPatron("Q100");
    patronId = (await h.patron("Q100")).patronId;
  });
  afterAll(() => h.stop());

  it("applies each event once: a redelivered event, or an older one of the same stream, changes nothing", async () => {
    const item = { institutionId: "MAIN", barcode: "Q-I1" };
    const dueAt = new Date(Date.now() + 5 * DAY_MS);
    const lent = checkout({ loanId: "q-loan-1", itemId: "q-i1", item, patronId, patron: ref("Q100"), title: "Q", checkedOutAt: new Date(), dueAt });
    const out = delivered("ItemCheckedOut", lent, "loan-q-i1", 1);
    const renewed = delivered("LoanRenewed", renewal(lent.current, new Date(dueAt.getTime() + 7 * DAY_MS)), "loan-q-i1", 2);
    const charged = delivered("FeeCharged", fee.FeeCharged.fromPartial({ feeId: "q-fee-1", patronId, patron: ref("Q100"), amount: usd(300), chargedAt: new Date(), balanceAfter: usd(300) }), "fee-MAIN-Q100", 1);
    const paid = delivered("FeePaid", fee.FeePaid.fromPartial({ paymentId: "q-pay-1", patronId, patron: ref("Q100"), amount: usd(100), allocations: [{ feeId: "q-fee-1", amount: usd(100) }], balanceAfter: usd(200) }), "fee-MAIN-Q100", 2);
    const current = hold.Hold.fromPartial({ holdId: "q-hold-1", patronId, patron: ref("Q100"), item, title: "Q", pickupLocation: "MAIN", status: H.WAITING, placedAt: new Date() });
    const placed = delivered("HoldPlaced", hold.HoldPlaced.fromPartial({ holdId: "q-hold-1", patronId, patron: ref("Q100"), item, current }), "holdq-MAIN-q", 1);

    await apply(projectLoanEvent, out, renewed);
    await apply(projectFeeEvent, charged, paid);
    await apply(projectHoldEvent, placed);
    const once = await snapshot();
    expect(once.loans).toEqual([expect.objectContaining({ loan_id: "q-loan-1", patron_id: patronId, due_at: new Date(dueAt.getTime() + 7 * DAY_MS) })]);
    expect(once.accounts).toEqual([expect.objectContaining({ patron_id: patronId, balance_minor: "200" })]);
    expect(once.charges).toEqual([expect.objectContaining({ fee_id: "q-fee-1", amount_minor: "300", outstanding_minor: "200" })]);
    expect(once.holds).toEqual([expect.objectContaining({ hold_id: "q-hold-1", patron_id: patronId, status: H.WAITING })]);

    // Redelivered (the host's dedupe missed them), each and in any order.
    await apply(projectLoanEvent, out, renewed, out);
    await apply(projectFeeEvent, paid, charged, paid);
    await apply(projectHoldEvent, placed);
    expect(await snapshot()).toEqual(once);
  });

  it("a loan that ends leaves; a republished check-out older than the return does not bring it back", async () => {
    const item = { institutionId: "MAIN", barcode: "Q-I2" };
    const out = delivered("ItemCheckedOut", checkout({ loanId: "q-loan-2", itemId: "q-i2", item, patronId, dueAt: new Date() }), "loan-q-i2", 1);
    const back = delivered("ItemCheckedIn", loan.ItemCheckedIn.fromPartial({ loanId: "q-loan-2", itemId: "q-i2", item, patronId }), "loan-q-i2", 2);
    await apply(projectLoanEvent, out, back);
    const after = await snapshot();
    expect(after.loans.map((l) => l.loan_id)).not.toContain("q-loan-2");
    await apply(projectLoanEvent, out);
    expect(await snapshot()).toEqual(after);
  });

  it("events of one item applied out of order end with its loan as the newest event states it", async () => {
    const item = { institutionId: "MAIN", barcode: "Q-I5" };
    const stream = "loan-q-i5";
    const dueAt = new Date(Date.now() + 5 * DAY_MS);
    const renewedDue = new Date(dueAt.getTime() + 14 * DAY_MS);
    const lent = checkout({ loanId: "q-loan-5", itemId: "q-i5", item, patronId, patron: ref("Q100"), title: "Q5", checkedOutAt: new Date(), dueAt });
    const out = delivered("ItemCheckedOut", lent, stream, 1);
    const renewed = delivered("LoanRenewed", renewal(lent.current, renewedDue), stream, 2);
    const loansOfItem = async () =>
      (await snapshot()).loans.filter((l) => l.stream_id === stream).map(({ loan_id, patron_id, item_barcode, due_at }) => ({ loan_id, patron_id, item_barcode, due_at }));

    // Two replicas share the consumer: the renewal is applied first, the checkout (older) is then skipped.
    await apply(projectLoanEvent, renewed, out);
    expect(await loansOfItem()).toEqual([{ loan_id: "q-loan-5", patron_id: patronId, item_barcode: "Q-I5", due_at: renewedDue }]);

    // An offline checkout closes that loan and lends the item to someone else: the new loan, applied before
    // the checkin, replaces the item's row; the checkin (older) is skipped.
    const other = checkout({ loanId: "q-loan-6", itemId: "q-i5", item, patronId: "someone-else", title: "Q5", checkedOutAt: new Date(), dueAt });
    const back = delivered("ItemCheckedIn", loan.ItemCheckedIn.fromPartial({ loanId: "q-loan-5", itemId: "q-i5", item, patronId }), stream, 3);
    await apply(projectLoanEvent, delivered("ItemCheckedOut", other, stream, 4), back);
    expect(await loansOfItem()).toEqual([{ loan_id: "q-loan-6", patron_id: "someone-else", item_barcode: "Q-I5", due_at: dueAt }]);
  });

  it("follows loans from events stored before they carried the loan after them (no `current`)", async () => {
    const item = { institutionId: "MAIN", barcode: "Q-I7" };
    const stream = "loan-q-i7";
    const dueAt = new Date(Date.now() + 5 * DAY_MS);
    const recalledDue = new Date(Date.now() + 2 * DAY_MS);
    const loanOf = (loanId: string) => h.service.db.selectFrom("patron_loans").selectAll().where("loan_id", "=", loanId).executeTakeFirst();
    const old = { loanId: "q-loan-7", itemId: "q-i7", item, patronId, patron: ref("Q100"), title: "Old", checkedOutAt: new Date(), dueAt };
    await apply(projectLoanEvent, delivered("ItemCheckedOut", loan.ItemCheckedOut.fromPartial(old), stream, 1));
    expect(await loanOf("q-loan-7")).toMatchObject({ stream_id: stream, patron_id: patronId, due_at: dueAt, recalled: false });
    await apply(projectLoanEvent, delivered("LoanRecalled", loan.LoanRecalled.fromPartial({ loanId: "q-loan-7", itemId: "q-i7", patronId, dueAt: recalledDue }), stream, 2));
    expect(await loanOf("q-loan-7")).toMatchObject({ due_at: recalledDue, recalled: true });
    await apply(projectLoanEvent, delivered("ItemCheckedIn", loan.ItemCheckedIn.fromPartial({ loanId: "q-loan-7", itemId: "q-i7", item, patronId }), stream, 3));
    expect(await loanOf("q-loan-7")).toBeUndefined();

    // A row kept before rows named their stream: the next event of its item, carrying the loan, replaces it.
    const row = { loan_id: "q-loan-8", patron_id: patronId, item_institution_id: "MAIN", item_barcode: "Q-I8", title: "Old", checked_out_at: new Date(), due_at: dueAt, recalled: false };
    await h.service.db.insertInto("patron_loans").values({ ...row, stream_id: null }).execute();
    const current = loanAfterCheckout(loan.ItemCheckedOut.fromPartial({ loanId: "q-loan-8", itemId: "q-i8", item: { institutionId: "MAIN", barcode: "Q-I8" }, patronId, title: "Old", dueAt }));
    await apply(projectLoanEvent, delivered("LoanRenewed", renewal(current, recalledDue), "loan-q-i8", 2));
    expect(await loanOf("q-loan-8")).toMatchObject({ stream_id: "loan-q-i8", due_at: recalledDue });
    await apply(projectLoanEvent, delivered("ItemCheckedIn", loan.ItemCheckedIn.fromPartial({ loanId: "q-loan-8", itemId: "q-i8", patronId }), "loan-q-i8", 3));
    expect(await loanOf("q-loan-8")).toBeUndefined();
  });

  it("follows holds from events stored before they carried the hold after them (no `current`)", async () => {
    const item = { institutionId: "MAIN", barcode: "Q-I3" };
    const stream = "holdq-MAIN-old";
    const placedAt = new Date(Date.now() - DAY_MS);
    const pickupBy = new Date("2030-02-01T00:00:00Z");
    const holdOf = async () => {
      const row = await h.service.db.selectFrom("patron_holds").selectAll().where("hold_id", "=", "q-hold-old").executeTakeFirst();
      return row && { status: row.status, hold: hold.Hold.fromJSON(row.hold) };
    };
    await apply(projectHoldEvent, delivered("HoldPlaced", hold.HoldPlaced.fromPartial({ holdId: "q-hold-old", patronId, patron: ref("Q100"), item, title: "Old", pickupLocation: "MAIN", placedAt }), stream, 1));
    expect(await holdOf()).toMatchObject({ status: H.WAITING, hold: { item, title: "Old", placedAt } });
    await apply(projectHoldEvent, delivered("HoldTrapped", hold.HoldTrapped.fromPartial({ holdId: "q-hold-old", patronId, item, inTransit: true }), stream, 2));
    expect(await holdOf()).toMatchObject({ status: H.IN_TRANSIT, hold: { trappedItem: item } });
    await apply(projectHoldEvent, delivered("HoldShelved", hold.HoldShelved.fromPartial({ holdId: "q-hold-old", patronId, item, pickupBy }), stream, 3));
    expect(await holdOf()).toMatchObject({ status: H.AVAILABLE, hold: { trappedItem: item, pickupBy } });
    await apply(projectHoldEvent, delivered("HoldFulfilled", hold.HoldFulfilled.fromPartial({ holdId: "q-hold-old", patronId }), stream, 4));
    expect(await holdOf()).toBeUndefined();
  });

  it("through JetStream: an event published again under another message id (past the duplicate window) is not counted twice", async () => {
    await h.addPatron("Q101");
    const p = await h.patron("Q101");
    await h.peers.charge(p, 400);
    const again = await h.peers.charge(p, 100);
    // The relay publishes the second charge again after a restart: same stream position, new message id.
    await h.peers.publish("FeeCharged", again, "fee-MAIN-Q101", { position: 2 });
    await h.peers.lend(p, "Q-I4", 3);
    expect(standingOf(await h.send(cmd.status("Q101", PIN))).feesOwed).toEqual(usd(500));
    const reply = accepted(await h.send(cmd.information("Q101", S.FINE_ITEMS, {}, PIN)), "getPatronInformation");
    expect(reply).toMatchObject({ fineItemsCount: 2, chargedItemsCount: 1 });
  });
});
