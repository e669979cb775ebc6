import { type AnyEvent, commands, type EventOf, type EventType, events, fee, hold, loan, packEvent, uuidv7 } from "@circulate/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectFeeEvent } from "../src/app/fee-events.projection.js";
import { projectHoldEvent } from "../src/app/hold-events.projection.js";
import { projectLoanEvent } from "../src/app/loan-events.projection.js";
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
    const out = delivered("ItemCheckedOut", loan.ItemCheckedOut.fromPartial({ loanId: "q-loan-1", itemId: "q-i1", item, patronId, patron: ref("Q100"), title: "Q", checkedOutAt: new Date(), dueAt }), "loan-q-i1", 1);
    const renewed = delivered("LoanRenewed", loan.LoanRenewed.fromPartial({ loanId: "q-loan-1", itemId: "q-i1", patronId, dueAt: new Date(dueAt.getTime() + 7 * DAY_MS) }), "loan-q-i1", 2);
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
    const out = delivered("ItemCheckedOut", loan.ItemCheckedOut.fromPartial({ loanId: "q-loan-2", itemId: "q-i2", item, patronId, dueAt: new Date() }), "loan-q-i2", 1);
    const back = delivered("ItemCheckedIn", loan.ItemCheckedIn.fromPartial({ loanId: "q-loan-2", itemId: "q-i2", item, patronId }), "loan-q-i2", 2);
    await apply(projectLoanEvent, out, back);
    const after = await snapshot();
    expect(after.loans.map((l) => l.loan_id)).not.toContain("q-loan-2");
    await apply(projectLoanEvent, out);
    expect(await snapshot()).toEqual(after);
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
