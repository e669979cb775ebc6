import type { AnyEvent, events, loan } from "@circulate/contracts";
import type { FeeTrx } from "../adapters/db.js";
import {
  type AssessOverdueFine,
  closedDaysWithin,
  FeeType,
  decideAssessOverdueFine,
  decideChargeFee,
  decideWaiveFee,
  type FinePolicy,
  feeStreamId,
  feeTypeCode,
  isInstant,
} from "../domain/index.js";
import { decideOnAccount, toAppend } from "./account.store.js";
import type { FeeDeps } from "./deps.js";
import { eventFeeId, overdueFeeId } from "./ids.js";
import { institutionSettings } from "./institutions.js";

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
  if (e.type === "ItemCheckedIn") await assessCheckin(deps, e.event, envelope, trx);
  else if (e.type === "CheckinCancelled") await waiveCancelledCheckinFine(deps, e.event, envelope, trx);
  else if (e.type === "ItemCheckedOut" && e.event.fee && (e.event.fee.amount?.amountMinor ?? 0) > 0) await chargeRental(deps, e.event, envelope, trx);
}

/** The loan contract's fine policy in the domain's terms: a `max` unset or of zero amount is no cap. */
export function finePolicyFrom(p: loan.FinePolicy): FinePolicy {
  const max = p.max?.amountMinor ?? 0;
  return { finePerDay: p.perDay?.amountMinor ?? 0, maxFine: max > 0 ? max : null, graceDays: p.graceDays };
}

async function assessCheckin(deps: FeeDeps, checkin: loan.ItemCheckedIn, envelope: events.EventEnvelope, trx: FeeTrx): Promise<void> {
  const log = deps.logger.child({ eventId: envelope.eventId, loanId: checkin.loanId });
  // Not on loan, or a rule without fines: nothing to assess.
  if (!checkin.loanId || !checkin.finePolicy || (checkin.finePolicy.perDay?.amountMinor ?? 0) <= 0) return;
  const patronRef = checkin.patron;
  if (!patronRef?.barcode || !checkin.dueAt || !checkin.returnedAt) {
    log.warn("ItemCheckedIn without patron, due or return date: no fine assessed");
    return;
  }
  const institutionId = checkin.institutionId || envelope.institutionId || patronRef.institutionId;
  const accountInstitution = patronRef.institutionId || institutionId;
  const settings = await institutionSettings(trx, institutionId, deps.defaults);
  const dueAt = checkin.dueAt.toISOString();
  const returnedAt = checkin.returnedAt.toISOString();
  const command: AssessOverdueFine = {
    chargeId: overdueFeeId(envelope.eventId),
    loanId: checkin.loanId,
    checkinId: envelope.eventId,
    patron: { institutionId: accountInstitution, barcode: patronRef.barcode },
    item: checkin.item ?? null,
    title: checkin.title || null,
    dueAt,
    returnedAt,
    policy: finePolicyFrom(checkin.finePolicy),
    currency: checkin.finePolicy.perDay?.currency || checkin.finePolicy.max?.currency || settings.currency,
    tz: settings.timeZone,
    closedDays: isInstant(dueAt) && isInstant(returnedAt) ? closedDaysWithin(dueAt, returnedAt, settings.timeZone, settings) : [],
  };
  const { result } = await decideOnAccount(
    trx,
    feeStreamId(accountInstitution, patronRef.barcode),
    (state) => {
      const now = deps.now();
      const d = decideAssessOverdueFine(command, state, now.toISOString());
      return { events: toAppend(d.events, { patronId: checkin.patronId, at: now }), result: d };
    },
    { institution: institutionId, correlationId: envelope.correlationId, causationId: envelope.eventId, offline: envelope.offline },
  );
  if (result.outcome === "refused") log.warn({ reason: result.reason, detail: result.detail }, "overdue fine not assessed");
  else if (result.data.chargeId && !result.data.alreadyAssessed) {
    log.info({ feeId: result.data.chargeId, amount: result.data.amount, daysLate: result.data.daysLate }, "overdue fine charged");
    deps.eventsCommitted();
  }
}

async function chargeRental(deps: FeeDeps, checkout: loan.ItemCheckedOut, envelope: events.EventEnvelope, trx: FeeTrx): Promise<void> {
  const patronRef = checkout.patron;
  const fee = checkout.fee!;
  if (!patronRef?.barcode) return;
  const institutionId = patronRef.institutionId || envelope.institutionId;
  const settings = await institutionSettings(trx, institutionId, deps.defaults);
  const currency = fee.amount?.currency || settings.currency;
  const { result } = await decideOnAccount(
    trx,
    feeStreamId(institutionId, patronRef.barcode),
    (state) => {
      const now = deps.now();
      const d = decideChargeFee(
        {
          chargeId: eventFeeId(envelope.eventId),
          patron: { institutionId, barcode: patronRef.barcode },
          feeType: feeTypeCode(fee.feeType) || FeeType.rental,
          amount: fee.amount?.amountMinor ?? 0,
          currency,
          description: fee.description || "rental",
          item: checkout.item ?? null,
          title: checkout.title || null,
          chargedAt: (checkout.checkedOutAt ?? now).toISOString(),
          loanId: checkout.loanId,
          sourceId: envelope.eventId,
        },
        state,
        now.toISOString(),
      );
      return { events: toAppend(d.events, { patronId: checkout.patronId, at: now }), result: d };
    },
    { institution: institutionId, correlationId: envelope.correlationId, causationId: envelope.eventId, offline: envelope.offline },
  );
  if (result.outcome === "refused") deps.logger.warn({ eventId: envelope.eventId, reason: result.reason }, "rental fee not charged");
  else deps.eventsCommitted();
}

/**
 * A cancelled checkin (SIP2 11 with BI=Y) restores the loan, so the fine its
 * return incurred no longer stands. The event names the loan, not the checkin
 * event, so the fine is the loan's latest overdue charge that is still open. A fine
 * already paid stays paid (refunds are a staff decision) and is only logged.
 */
async function waiveCancelledCheckinFine(deps: FeeDeps, cancelled: loan.CheckinCancelled, envelope: events.EventEnvelope, trx: FeeTrx): Promise<void> {
  if (!cancelled.loanId) return;
  const fine = await trx
    .selectFrom("fee_charges")
    .selectAll()
    .where("loan_id", "=", cancelled.loanId)
    .where("fee_type", "=", FeeType.overdue)
    .where("status", "!=", "waived")
    .orderBy("charged_at", "desc")
    .orderBy("position", "desc")
    .executeTakeFirst();
  if (!fine) return;
  const patron = { institutionId: fine.institution_id, barcode: fine.patron_barcode };
  const { result } = await decideOnAccount(
    trx,
    fine.stream_id,
    (state) => {
      const d = decideWaiveFee({ chargeId: fine.fee_id, patron, reason: "checkin cancelled" }, state);
      return { events: toAppend(d.events, { patronId: fine.patron_id, at: deps.now() }), result: d };
    },
    { institution: fine.institution_id, correlationId: envelope.correlationId, causationId: envelope.eventId },
  );
  if (result.outcome === "refused") deps.logger.warn({ feeId: fine.fee_id, reason: result.reason }, "fine of a cancelled checkin not waived");
  else deps.eventsCommitted();
}
