import type { AnyEvent, events, loan } from "@circulate/contracts";
import type { HoldTransaction } from "../adapters/db.js";
import { activeHoldsOf, type QueueRow, queuesTrapping } from "../adapters/holds.repository.js";
import { patronKey } from "../domain/index.js";
import type { HoldDeps } from "../app/command.support.js";
import { withFields, withItemIds } from "../app/event-fields.js";
import { resolveItem } from "../app/item-facts.js";
import { decideOnQueue, type QueueKey } from "../app/queue.runner.js";
import { decideFulfilHold } from "./fulfil-hold.decider.js";

const ITEM_LOOKUP_BUDGET_MS = 5_000;

/**
 * Consumes the loan service's ItemCheckedOut (durable consumer, one
 * transaction per event, deduplicated by event id): the borrower's own hold on
 * the title is fulfilled and the queue advances; a copy trapped for someone
 * else that left with this borrower is released so that hold waits again.
 *
 * The checkout is a fact by now, so the decision is always taken as for a
 * no-block checkout: refusing it here would leave a hold trapped on a copy
 * that is out on loan to someone else.
 */
export function fulfilOnCheckout(deps: HoldDeps) {
  return async (event: AnyEvent, envelope: events.EventEnvelope, trx: HoldTransaction): Promise<void> => {
    if (event.type !== "ItemCheckedOut") return;
    const e: loan.ItemCheckedOut = event.event;
    if (!e.item?.barcode) return;
    const item = { institutionId: e.item.institutionId || envelope.institutionId, barcode: e.item.barcode };

    const borrowerKey = e.patron?.barcode ? patronKey({ institutionId: e.patron.institutionId || envelope.institutionId, barcode: e.patron.barcode }) : null;
    const own = borrowerKey
      ? await activeHoldsOf(trx, { patronKey: borrowerKey })
      : e.patronId
        ? await activeHoldsOf(trx, { patronId: e.patronId })
        : [];
    const trappedHere = await queuesTrapping(trx, item);
    if (own.length === 0 && trappedHere.length === 0) return;

    const queues = new Map<string, QueueKey>();
    const add = (k: QueueRow) =>
      queues.set(`${k.institution_id}\u0000${k.title_id}`, { institution: k.institution_id, titleId: k.title_id });
    trappedHere.forEach(add);
    const ownByCopy = own.filter((r) => r.institution_id === item.institutionId && (r.item_barcode === item.barcode || r.trapped_item_barcode === item.barcode));
    ownByCopy.forEach(add);
    let branch: string | null = null;
    if (own.length > ownByCopy.length) {
      // The patron's title hold is filled by any copy of the title: which title is this copy?
      const known = await resolveItem(deps, item, new Date(Date.now() + ITEM_LOOKUP_BUDGET_MS));
      branch = known?.homeLocation ?? null;
      if (known) own.filter((r) => r.institution_id === item.institutionId && r.title_id === known.titleId).forEach(add);
    }

    const borrower = borrowerKey ?? own[0]?.patron_key ?? "";
    const at = e.checkedOutAt ?? deps.now();
    // The relay is not woken: this transaction commits after the handler returns,
    // and the relay's next poll (100 ms) picks the events up.
    for (const key of queues.values()) {
      await decideOnQueue(
        trx,
        key,
        (state) => {
          const d = decideFulfilHold(
            { patronKey: borrower, institution: key.institution, titleKey: key.titleId, itemBarcode: item.barcode, itemBranch: branch, offline: true },
            state.queue,
          );
          if (d.outcome === "refused") return { events: [], outcome: null };
          const events = withFields(withItemIds(d.events, new Map([[item.barcode, e.itemId]])), "HoldFulfilled", { loanId: e.loanId });
          return { events, outcome: null, at };
        },
        { institution: envelope.institutionId, correlationId: envelope.correlationId, causationId: envelope.eventId, offline: envelope.offline },
      );
    }
  };
}
