import type { InlineProjection, RecordedEvent } from "@circulate/eventstore";
import type { LoanDatabase, LoanTrx } from "../adapters/db.js";
import type { StoredLoanEvent } from "../adapters/events.codec.js";
import { UNLIMITED } from "../adapters/terms.codec.js";
import { evolveStream, type LoanStream } from "./loan-stream.js";

/**
 * The `loans` read model: one row per item that is on loan, written from the
 * stream's state after the append, in the same transaction. Deriving the row
 * from the folded state (not event by event) keeps it right for every event
 * combination, e.g. an offline checkout that closes one loan and opens another.
 */
export async function writeLoanRow(trx: LoanTrx, streamId: string, stream: LoanStream): Promise<void> {
  const { state, current } = stream;
  if (state.status !== "on_loan" || current === null) {
    await trx.deleteFrom("loans").where("stream_id", "=", streamId).execute();
    return;
  }
  const { loan } = state;
  const row = {
    loan_id: current.loanId,
    item_id: current.itemId,
    item_institution_id: loan.institutionId,
    item_barcode: loan.itemBarcode,
    title: current.title,
    title_id: current.titleId,
    patron_id: loan.patronId,
    patron_institution_id: current.patronInstitutionId,
    patron_barcode: loan.patronBarcode,
    checked_out_at: loan.loanedAt,
    due_at: loan.dueAt,
    renewal_count: loan.renewals,
    renewal_limit: loan.rule.renewalLimit >= UNLIMITED ? null : loan.rule.renewalLimit,
    offline: loan.offline,
    terminal_account: current.terminalAccount,
  };
  await trx
    .insertInto("loans")
    .values({ stream_id: streamId, ...row })
    .onConflict((oc) => oc.column("stream_id").doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
}

/**
 * The inline projection of one command on one stream: folds the appended
 * events onto the state the decision saw and writes the row.
 */
export function loanRowProjection(streamId: string, before: () => LoanStream): InlineProjection<LoanDatabase, StoredLoanEvent> {
  return (trx, events: readonly RecordedEvent<StoredLoanEvent>[]) => writeLoanRow(trx, streamId, events.reduce(evolveStream, before()));
}
