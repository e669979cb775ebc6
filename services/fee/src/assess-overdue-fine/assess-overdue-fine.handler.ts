import type { events, loan } from "@circulate/contracts";
import type { FeeTrx } from "../adapters/db.js";
import { decideOnAccount, toAppend } from "../app/account.store.js";
import type { FeeDeps } from "../app/deps.js";
import { overdueFeeId } from "../app/ids.js";
import { institutionSettings } from "../app/institutions.js";
import { feeStreamId, isInstant } from "../domain/index.js";
import { type AssessOverdueFine, decideAssessOverdueFine } from "./assess-overdue-fine.decider.js";
import { closedDaysWithin } from "./closed-days.policy.js";
import { finePolicyFrom } from "./overdue-fine.policy.js";

/**
 * The loan service's `ItemCheckedIn` (online or no-block) → the overdue fine,
 * assessed from the loan rule's fine policy, due and return dates, in the
 * institution's zone and calendar. The checkin's event id is the assessment's
 * key: a redelivery charges once. A no-block checkin's fine is stored `offline`.
 */
export async function assessOverdueFineOfCheckin(deps: FeeDeps, checkin: loan.ItemCheckedIn, envelope: events.EventEnvelope, trx: FeeTrx): Promise<void> {
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
