import type { AnyEvent, common, events, item as itempb } from "@circulate/contracts";
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

const LOAN_EVENT_TYPES = [
  "ItemCheckedOut",
  "LoanImported",
  "CheckinCancelled",
  "LoanRenewed",
  "RenewalCancelled",
  "LoanRecalled",
  "ItemCheckedIn",
  "CheckoutCancelled",
] as const;
type AnyLoanEvent = Extract<AnyEvent, { type: (typeof LOAN_EVENT_TYPES)[number] }>;
const isLoanEvent = (event: AnyEvent): event is AnyLoanEvent => (LOAN_EVENT_TYPES as readonly string[]).includes(event.type);

interface LoanAfter {
  readonly item: common.ItemRef | undefined;
  readonly onLoan: boolean;
  readonly loanId: string;
}

/** What a loan event says of its copy's loan after it; `undefined` = nothing (an older event that only changed a loan). */
function loanAfter(event: AnyLoanEvent): LoanAfter | undefined {
  const { current } = event.event;
  const item = "item" in event.event ? event.event.item : undefined;
  if (current) return { item: current.item ?? item, onLoan: true, loanId: current.loanId };
  // Without `current`: a check-in or a cancelled checkout, or an event stored before events carried it,
  // applied as it always was (a renewal or recall does not change whether the copy is on loan).
  switch (event.type) {
    case "ItemCheckedOut":
    case "LoanImported":
    case "CheckinCancelled":
      return { item, onLoan: true, loanId: event.event.loanId };
    case "LoanRenewed":
    case "RenewalCancelled":
    case "LoanRecalled":
      return undefined;
    case "ItemCheckedIn":
    case "CheckoutCancelled":
      return { item, onLoan: false, loanId: "" };
  }
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
      const after = isLoanEvent(event) ? loanAfter(event) : undefined;
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
