import type { AnyEvent, events } from "@circulate/contracts";
import type { FeeTrx } from "../adapters/db.js";
import { assessOverdueFineOfCheckin } from "../assess-overdue-fine/assess-overdue-fine.handler.js";
import { chargeRental } from "../charge-fee/charge-rental.handler.js";
import { waiveCancelledCheckinFine } from "../waive-fee/waive-cancelled-checkin-fine.handler.js";
import type { FeeDeps } from "./deps.js";

/**
 * Loan events that cost money, applied in the consumer's transaction (one per
 * event, deduplicated by event id before we are called):
 * - `ItemCheckedIn` → the overdue fine, assessed from the loan rule's fine policy,
 *   due and return dates, in the institution's zone and calendar;
 * - `CheckinCancelled` → that checkin's overdue fine is waived (the loan goes on);
 * - `ItemCheckedOut` with a `fee` → the rental charge.
 * Redelivery past the consumer's dedupe still charges once: the checkin's event id
 * is the assessment's key, and the rental's fee id derives from the event id.
 * Refusals (a currency that differs from the account's, a broken policy) are logged
 * and skipped: blocking the loan stream would stop every later fine.
 */
export async function onLoanEvent(deps: FeeDeps, e: AnyEvent, envelope: events.EventEnvelope, trx: FeeTrx): Promise<void> {
  if (e.type === "ItemCheckedIn") await assessOverdueFineOfCheckin(deps, e.event, envelope, trx);
  else if (e.type === "CheckinCancelled") await waiveCancelledCheckinFine(deps, e.event, envelope, trx);
  else if (e.type === "ItemCheckedOut" && e.event.fee && (e.event.fee.amount?.amountMinor ?? 0) > 0) await chargeRental(deps, e.event, envelope, trx);
}

