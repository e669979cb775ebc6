import { type AnyEvent, type AnyLoanEvent, type events, isLoanEvent, type loan, loanAfter } from "@circulate/contracts";
import type { PatronTrx } from "../adapters/db.js";
import { changeLoan, claimStreamPosition, deleteStreamLoan, writeStreamLoan } from "../adapters/peer-projections.repository.js";
import { patronIdOf } from "./peer-patron.js";

/**
 * A patron's open loans, kept from the loan service's events: one row per
 * item's stream, replaced by the loan each event carries as `current` (the
 * item's loan after it) or removed when it carries none. Events of a stream
 * may arrive out of order (replicas sharing a consumer): as each states the
 * whole loan, applying only those newer than the stream's last applied one
 * always leaves the loan as the newest says. Overdue is counted at read time.
 */
export async function projectLoanEvent(trx: PatronTrx, e: AnyEvent, envelope: events.EventEnvelope): Promise<void> {
  if (!isLoanEvent(e)) return;
  if (!(await claimStreamPosition(trx, "loan", envelope.streamId, envelope.streamPosition))) return;
  const current = loanAfter(e);
  if (current === null) await deleteStreamLoan(trx, envelope.streamId, "loanId" in e.event ? e.event.loanId : "");
  else if (current === "stored before current") await projectLegacyLoanEvent(trx, e, envelope);
  else await writeStreamLoan(trx, envelope.streamId, { ...(await loanRow(trx, current, envelope)), recalled: current.recalled });
}

/**
 * Events that always leave the item on loan but carry no `current`: stored
 * before events carried the loan. They are applied from their own fields, so a
 * deployment with such events stored keeps its loans right.
 */
async function projectLegacyLoanEvent(trx: PatronTrx, e: AnyLoanEvent, envelope: events.EventEnvelope): Promise<void> {
  switch (e.type) {
    case "ItemCheckedOut":
    case "LoanImported":
    case "CheckinCancelled":
      await writeStreamLoan(trx, envelope.streamId, { ...(await loanRow(trx, e.event, envelope)), recalled: false });
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

type LoanFields = Pick<loan.Loan, "loanId" | "patronId" | "patron" | "item" | "title" | "checkedOutAt" | "dueAt">;

async function loanRow(trx: PatronTrx, l: LoanFields, envelope: events.EventEnvelope) {
  return {
    loan_id: l.loanId,
    patron_id: await patronIdOf(trx, l.patronId, l.patron),
    item_institution_id: l.item?.institutionId ?? "",
    item_barcode: l.item?.barcode ?? "",
    title: l.title,
    checked_out_at: l.checkedOutAt ?? envelope.occurredAt ?? null,
    due_at: l.dueAt ?? null,
  };
}
