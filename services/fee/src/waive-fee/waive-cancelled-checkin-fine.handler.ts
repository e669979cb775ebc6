import type { events, loan } from "@circulate/contracts";
import type { FeeTrx } from "../adapters/db.js";
import { latestUnwaivedOverdueFine } from "../adapters/fee.repository.js";
import { decideOnAccount, toAppend } from "../app/account.store.js";
import type { FeeDeps } from "../app/deps.js";
import { decideWaiveFee } from "./waive-fee.decider.js";

/**
 * A cancelled checkin (SIP2 11 with BI=Y) restores the loan, so the fine its
 * return incurred no longer stands. The event names the loan, not the checkin
 * event, so the fine is the loan's latest overdue charge that is still open. A fine
 * already paid stays paid (refunds are a staff decision) and is only logged.
 */
export async function waiveCancelledCheckinFine(deps: FeeDeps, cancelled: loan.CheckinCancelled, envelope: events.EventEnvelope, trx: FeeTrx): Promise<void> {
  if (!cancelled.loanId) return;
  const fine = await latestUnwaivedOverdueFine(trx, cancelled.loanId);
  if (!fine) return;
  const patron = { institutionId: fine.institution_id, barcode: fine.patron_barcode };
  const { result } = await decideOnAccount(
    trx,
    fine.stream_id,
    (state) => {
      const d = decideWaiveFee({ chargeId: fine.fee_id, patron, reason: "checkin cancelled", staff: "" }, state);
      return { events: toAppend(d.events, { patronId: fine.patron_id, at: deps.now() }), result: d };
    },
    { institution: fine.institution_id, correlationId: envelope.correlationId, causationId: envelope.eventId },
  );
  if (result.outcome === "refused") deps.logger.warn({ feeId: fine.fee_id, reason: result.reason }, "fine of a cancelled checkin not waived");
  else deps.eventsCommitted();
}
