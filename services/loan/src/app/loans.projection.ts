import type { StoredEvent } from "@circulate/contracts";
import type { InlineProjection, RecordedEvent } from "@circulate/eventstore";
import type { LoanDatabase, LoanTrx } from "../adapters/db.js";
import { saveLoanRow } from "../adapters/loans.repository.js";
import { currentLoan } from "../domain/index.js";
import { evolveStream, type LoanStream } from "./loan-stream.js";

/**
 * The `loans` read model: one row per item that is on loan, written from the
 * stream's state after the append, in the same transaction. Deriving the row
 * from the folded state (not event by event) keeps it right for every event
 * combination, e.g. an offline checkout that closes one loan and opens another.
 */
export function writeLoanRow(trx: LoanTrx, streamId: string, stream: LoanStream): Promise<void> {
  return saveLoanRow(trx, streamId, currentLoan(stream.state));
}

/**
 * The inline projection of one command on one stream: folds the appended
 * events onto the state the decision saw and writes the row.
 */
export function loanRowProjection(streamId: string, before: () => LoanStream): InlineProjection<LoanDatabase, StoredEvent> {
  return (trx, events: readonly RecordedEvent<StoredEvent>[]) => writeLoanRow(trx, streamId, events.reduce(evolveStream, before()));
}
