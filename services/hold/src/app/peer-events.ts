import type { AnyEvent, events, item as itempb } from "@circulate/contracts";
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

/** Whether each loan event leaves the copy on loan; `undefined` = it does not change that. */
function onLoanAfter(event: AnyEvent): { item: { institutionId: string; barcode: string } | undefined; onLoan: boolean; loanId: string } | undefined {
  switch (event.type) {
    case "ItemCheckedOut":
    case "LoanImported":
    case "CheckinCancelled":
      return { item: event.event.item, onLoan: true, loanId: event.event.loanId };
    case "ItemCheckedIn":
    case "CheckoutCancelled":
      return { item: event.event.item, onLoan: false, loanId: "" };
    default:
      return undefined;
  }
}

/**
 * The loan service's events keep `item_loans`: whether a copy is on loan (a
 * hold's reply says whether the copy can be had now). One row per loan stream,
 * so the latest event of the copy's stream decides, by position.
 */
export function loanFactsSubscription(): EventSubscription<HoldDb> {
  return {
    from: "loan",
    name: HOLD_PROJECTIONS[1]!.consumer,
    types: ["ItemCheckedOut", "LoanImported", "CheckinCancelled", "ItemCheckedIn", "CheckoutCancelled"],
    handle: async (event: AnyEvent, envelope: events.EventEnvelope, trx: HoldTransaction) => {
      const after = onLoanAfter(event);
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
