import type { AnyEvent, events } from "@circulate/contracts";
import type { PatronTrx } from "../adapters/db.js";
import { claimStreamPosition, insertCharge, reduceOutstanding, writeAccountBalance } from "../adapters/peer-projections.repository.js";
import { patronIdOf } from "./peer-patron.js";

/**
 * A patron's fee accounts (one per fee stream) and open charges, kept from
 * the fee service's events: the balance is the `balance_after` of the
 * account's last event (what GetAccount answers), moved by the amount for
 * events that carry none; a charge is owed until payments, waivers or a
 * cancellation bring it to zero.
 */
export async function projectFeeEvent(trx: PatronTrx, e: AnyEvent, envelope: events.EventEnvelope): Promise<void> {
  if (!FEE_EVENT_TYPES.has(e.type)) return;
  const account = envelope.streamId;
  if (!(await claimStreamPosition(trx, "fee", account, envelope.streamPosition))) return;
  switch (e.type) {
    case "FeeCharged": {
      const f = e.event;
      const patronId = await patronIdOf(trx, f.patronId, f.patron);
      const amount = f.amount?.amountMinor ?? 0;
      const currency = f.amount?.currency ?? "";
      await insertCharge(trx, {
        fee_id: f.feeId,
        stream_id: account,
        patron_id: patronId,
        fee_type: f.feeType,
        currency,
        amount_minor: amount,
        outstanding_minor: amount,
        description: f.description,
        item_institution_id: f.item?.institutionId || null,
        item_barcode: f.item?.barcode || null,
        title: f.title,
        loan_id: f.loanId,
        charged_at: f.chargedAt ?? envelope.occurredAt ?? new Date(),
        position: envelope.streamPosition,
      });
      await writeAccountBalance(trx, { streamId: account, patronId, currency }, balance(f.balanceAfter, amount));
      return;
    }
    case "FeeImported": {
      const f = e.event;
      const patronId = await patronIdOf(trx, f.patronId, undefined);
      const owed = f.outstanding?.amountMinor ?? 0;
      const currency = f.outstanding?.currency ?? "";
      await insertCharge(trx, {
        fee_id: f.feeId,
        stream_id: account,
        patron_id: patronId,
        fee_type: f.feeType,
        currency,
        amount_minor: owed,
        outstanding_minor: owed,
        description: f.description,
        item_institution_id: null,
        item_barcode: null,
        title: "",
        loan_id: "",
        charged_at: envelope.occurredAt ?? new Date(),
        position: envelope.streamPosition,
      });
      await writeAccountBalance(trx, { streamId: account, patronId, currency }, { add: owed });
      return;
    }
    case "FeePaid": {
      const f = e.event;
      for (const a of f.allocations) await reduceOutstanding(trx, a.feeId, a.amount?.amountMinor ?? 0);
      const paid = f.amount?.amountMinor ?? 0;
      await writeAccountBalance(trx, { streamId: account, patronId: f.patronId, currency: "" }, balance(f.balanceAfter, -paid));
      return;
    }
    case "FeeWaived": {
      const f = e.event;
      const waived = f.amount?.amountMinor ?? 0;
      await reduceOutstanding(trx, f.feeId, waived);
      await writeAccountBalance(trx, { streamId: account, patronId: f.patronId, currency: "" }, balance(f.balanceAfter, -waived));
      return;
    }
    case "FeeCancelled": {
      const f = e.event;
      const cancelled = f.amount?.amountMinor ?? 0;
      await reduceOutstanding(trx, f.feeId, cancelled);
      await writeAccountBalance(trx, { streamId: account, patronId: f.patronId, currency: "" }, { add: -cancelled });
      return;
    }
  }
}

const FEE_EVENT_TYPES: ReadonlySet<string> = new Set(["FeeCharged", "FeeImported", "FeePaid", "FeeWaived", "FeeCancelled"]);

/** The balance the event states, else the account's moved by `delta` (events written before they stated it). */
function balance(after: { amountMinor: number } | undefined, delta: number): { set: number } | { add: number } {
  return after ? { set: after.amountMinor } : { add: delta };
}
