import type { AnyEvent, events } from "@circulate/contracts";
import type { PatronTrx } from "../adapters/db.js";
import { changeLoan, claimStreamPosition, deleteLoan, upsertLoan } from "../adapters/peer-projections.repository.js";
import { patronIdOf } from "./peer-patron.js";

/**
 * A patron's open loans, kept from the loan service's events (stream per
 * item, every event names its loan): a loan opens with ItemCheckedOut,
 * LoanImported or CheckinCancelled (the loan restored), ends with
 * ItemCheckedIn (an offline checkout's closing of the previous loan included)
 * or CheckoutCancelled, and gets a new due date from LoanRenewed,
 * RenewalCancelled or LoanRecalled. Overdue is counted at read time.
 */
export async function projectLoanEvent(trx: PatronTrx, e: AnyEvent, envelope: events.EventEnvelope): Promise<void> {
  if (!LOAN_EVENT_TYPES.has(e.type)) return;
  if (!(await claimStreamPosition(trx, "loan", envelope.streamId, envelope.streamPosition))) return;
  switch (e.type) {
    case "ItemCheckedOut":
    case "LoanImported":
    case "CheckinCancelled": {
      const l = e.event;
      const patronId = await patronIdOf(trx, l.patronId, l.patron);
      await upsertLoan(trx, {
        loan_id: l.loanId,
        patron_id: patronId,
        item_institution_id: l.item?.institutionId ?? "",
        item_barcode: l.item?.barcode ?? "",
        title: l.title,
        checked_out_at: l.checkedOutAt ?? envelope.occurredAt ?? null,
        due_at: l.dueAt ?? null,
        recalled: false,
      });
      return;
    }
    case "ItemCheckedIn":
      // An empty loan id: the item was not on loan.
      if (e.event.loanId) await deleteLoan(trx, e.event.loanId);
      return;
    case "CheckoutCancelled":
      await deleteLoan(trx, e.event.loanId);
      return;
    case "LoanRenewed":
    case "RenewalCancelled":
      await changeLoan(trx, e.event.loanId, { due_at: e.event.dueAt ?? null });
      return;
    case "LoanRecalled":
      await changeLoan(trx, e.event.loanId, { due_at: e.event.dueAt ?? null, recalled: true });
      return;
  }
}

const LOAN_EVENT_TYPES: ReadonlySet<string> = new Set([
  "ItemCheckedOut",
  "LoanImported",
  "CheckinCancelled",
  "ItemCheckedIn",
  "CheckoutCancelled",
  "LoanRenewed",
  "RenewalCancelled",
  "LoanRecalled",
]);
