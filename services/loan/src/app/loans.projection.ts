import type { StoredEvent } from "@circulate/contracts";
import type { InlineProjection, RecordedEvent } from "@circulate/eventstore";
import type { LoanDatabase, LoanTrx } from "../adapters/db.js";
import { currentLoan } from "../domain/index.js";
import { evolveStream, type LoanStream } from "./loan-stream.js";

/**
 * The `loans` read model: one row per item that is on loan, written from the
 * stream's state after the append, in the same transaction. Deriving the row
 * from the folded state (not event by event) keeps it right for every event
 * combination, e.g. an offline checkout that closes one loan and opens another.
 */
export async function writeLoanRow(trx: LoanTrx, streamId: string, stream: LoanStream): Promise<void> {
  const l = currentLoan(stream.state);
  if (!l) {
    await trx.deleteFrom("loans").where("stream_id", "=", streamId).execute();
    return;
  }
  const row = {
    loan_id: l.loanId,
    item_id: l.itemId,
    item_institution_id: l.item?.institutionId ?? "",
    item_barcode: l.item?.barcode ?? "",
    title: l.title,
    title_id: l.titleId,
    patron_id: l.patronId,
    patron_institution_id: l.patron?.institutionId ?? "",
    patron_barcode: l.patron?.barcode ?? "",
    checked_out_at: l.checkedOutAt ?? new Date(0),
    due_at: l.dueAt ?? new Date(0),
    renewal_count: l.renewalCount,
    renewal_limit: l.renewalsRemaining === undefined ? null : l.renewalsRemaining + l.renewalCount,
    offline: l.offline,
    terminal_account: l.terminalAccount,
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
export function loanRowProjection(streamId: string, before: () => LoanStream): InlineProjection<LoanDatabase, StoredEvent> {
  return (trx, events: readonly RecordedEvent<StoredEvent>[]) => writeLoanRow(trx, streamId, events.reduce(evolveStream, before()));
}
