import { type AnyEvent, type AnyLoanEvent, type common, type events, isLoanEvent, type item as itempb, LOAN_EVENT_TYPES, loanAfter } from "@circulate/contracts";
import type { EventSubscription, ProjectionSpec } from "@circulate/service";
import type { HoldDb, HoldTransaction } from "../adapters/db.js";
import { putItem, putItemLoan } from "../adapters/peer-facts.repository.js";
import type { HoldDeps } from "./command.support.js";
import { itemRowOf } from "./item-facts.js";

/** The copies of peers' facts, for `rebuild-projections` (fulfilling holds on checkout is not one). */
export const HOLD_PROJECTIONS: readonly ProjectionSpec[] = [
  { consumer: "hold-from-item", from: "item", tables: ["items"] },
  // Its own consumer (not "hold-from-loan", which fulfils and traps holds), so it can be rebuilt alone.
  { consumer: "hold-loans-from-loan", from: "loan", tables: ["item_loans"] },
];

/**
 * The item service's events keep the `items` table: every item event carries
 * the copy as it is after the event (`current`), so the latest one applied is
 * the copy. Applied by stream position, a repeated or late delivery changes nothing.
 */
export function itemFactsSubscription(deps: Pick<HoldDeps, "logger">): EventSubscription<HoldDb> {
  return {
    from: "item",
    name: HOLD_PROJECTIONS[0]!.consumer,
    idempotent: true,
    handle: async (event: AnyEvent, envelope: events.EventEnvelope, trx: HoldTransaction) => {
      const current = (event.event as { current?: itempb.Item }).current;
      const row = current && itemRowOf(current, envelope.streamPosition);
      if (!row) {
        deps.logger.debug({ type: event.type, eventId: envelope.eventId }, "item event without the item after it skipped");
        return;
      }
      await putItem(trx, row);
    },
  };
}

interface CopyLoan {
  readonly item: common.ItemRef | undefined;
  readonly onLoan: boolean;
  readonly loanId: string;
}

/** Whether a loan event leaves its copy on loan; `undefined` = it does not say (an older renewal or recall). */
function copyLoan(event: AnyLoanEvent): CopyLoan | undefined {
  const after = loanAfter(event);
  const item = "item" in event.event ? event.event.item : undefined;
  if (after === null) return { item, onLoan: false, loanId: "" };
  if (after !== "stored before current") return { item: after.item ?? item, onLoan: true, loanId: after.loanId };
  // Stored before events carried the loan: a renewal or recall does not change whether the copy is on loan.
  if (event.type === "ItemCheckedOut" || event.type === "LoanImported" || event.type === "CheckinCancelled")
    return { item, onLoan: true, loanId: event.event.loanId };
  return undefined;
}

/**
 * The loan service's events keep `item_loans`: whether a copy is on loan (a
 * hold's reply says whether the copy can be had now). One row per loan stream,
 * written from each event's `current` (the copy's loan after it, unset = not
 * on loan), so the latest event of the copy's stream decides, by position,
 * whatever order they arrive in.
 */
export function loanFactsSubscription(): EventSubscription<HoldDb> {
  return {
    from: "loan",
    name: HOLD_PROJECTIONS[1]!.consumer,
    idempotent: true,
    types: LOAN_EVENT_TYPES,
    handle: async (event: AnyEvent, envelope: events.EventEnvelope, trx: HoldTransaction) => {
      const after = isLoanEvent(event) ? copyLoan(event) : undefined;
      if (!after?.item?.barcode) return;
      await putItemLoan(trx, {
        stream_id: envelope.streamId,
        institution_id: after.item.institutionId || envelope.institutionId,
        barcode: after.item.barcode,
        on_loan: after.onLoan,
        loan_id: after.loanId,
        stream_position: envelope.streamPosition,
      });
    },
  };
}
