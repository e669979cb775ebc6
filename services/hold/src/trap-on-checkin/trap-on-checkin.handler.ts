import type { events, loan } from "@circulate/contracts";
import type { HoldTransaction } from "../adapters/db.js";
import { itemsByRef, refKey } from "../adapters/peer-facts.repository.js";
import { acceptedOnly, type HoldDeps, shelfExpiry } from "../app/command.support.js";
import { withFields, withItemIds } from "../app/event-fields.js";
import { decideOnQueue } from "../app/queue.runner.js";
import { decideApplyCheckinTrap } from "./trap-on-checkin.decider.js";

/**
 * Applies the trap the loan service decided at a checkin (09), carried by its
 * ItemCheckedIn (`hold_id`, `in_transit`), to the copy's title queue at the
 * copy's owning institution, in the consumer's transaction (each event once;
 * the decision itself is idempotent too). An empty `hold_id` traps nothing:
 * no hold, or a copy sent home to another institution.
 *
 * The kiosk has already routed the copy for the named hold. When that hold can
 * no longer take it, the queue's own rule places the copy so it still goes to
 * whoever is next, and a warning says the checkin's answer named another hold.
 */
export function trapFromCheckin(deps: Pick<HoldDeps, "settings" | "logger" | "now">) {
  return async (e: loan.ItemCheckedIn, envelope: events.EventEnvelope, trx: HoldTransaction): Promise<void> => {
    if (e.holdId === "" || !e.item?.barcode) return;
    const item = { institutionId: e.item.institutionId || envelope.institutionId, barcode: e.item.barcode };
    // The copy's home branch matters only if the named hold is gone and a type-4 hold is next.
    const copy = (await itemsByRef(trx, [item])).get(refKey(item));
    const titleId = e.titleId || copy?.title_id;
    if (!titleId) {
      deps.logger.warn({ eventId: envelope.eventId, holdId: e.holdId, item }, "checkin trap for a copy of no known title skipped");
      return;
    }
    const key = { institution: item.institutionId, titleId };
    const at = e.checkedInAt ?? e.returnedAt ?? deps.now();
    // The loan service's command id, which its events carry as causation: the item service joins the trap to the return by it.
    const checkInId = envelope.causationId || envelope.correlationId;

    const { outcome } = await decideOnQueue(
      trx,
      key,
      (state) => {
        const d = acceptedOnly(
          decideApplyCheckinTrap(
            {
              holdId: e.holdId,
              inTransit: e.inTransit,
              itemBarcode: item.barcode,
              itemBranch: copy?.home_location ?? null,
              institution: key.institution,
              titleKey: titleId,
              checkinLocation: e.location,
            },
            state.queue,
            { shelfExpiresAt: shelfExpiry(at, deps.settings) },
            at.toISOString(),
          ),
        );
        const events = withFields(withItemIds(d.events, new Map([[item.barcode, e.itemId || copy?.item_id || ""]])), "HoldTrapped", { checkInId });
        return { events, outcome: d.data, at };
      },
      { institution: envelope.institutionId, correlationId: envelope.correlationId, causationId: envelope.eventId, offline: envelope.offline },
    );
    if (!outcome.asNamed)
      deps.logger.warn(
        {
          eventId: envelope.eventId,
          checkInId,
          item,
          namedHoldId: e.holdId,
          trappedFor: outcome.trap.trapped ? outcome.trap.holdId : null,
        },
        "the checkin's answer named a hold that can no longer take the copy; it went to the next hold in the queue, if any",
      );
  };
}
