import type { AnyEvent, events } from "@circulate/contracts";
import type { Logger } from "@circulate/runtime";
import type { EventSubscription } from "@circulate/service";
import type { Transaction } from "kysely";
import type { ItemDatabase, ItemRow } from "../adapters/db.js";
import { dropTrapsOfHold, parkTrap } from "../adapters/items.repository.js";
import type { Location } from "../domain/index.js";
import { decideMarkInTransit } from "../mark-in-transit/mark-in-transit.decider.js";
import { decideMarkOnHoldShelf } from "../mark-on-hold-shelf/mark-on-hold-shelf.decider.js";
import { applyEventDecision, itemOfEvent } from "./event-changes.js";
import { projectHoldFacts } from "./peer-facts.projection.js";

type Trx = Transaction<ItemDatabase>;
type HoldTrapped = Extract<AnyEvent, { type: "HoldTrapped" }>["event"];

const ids = (row: ItemRow) => ({ institution: row.institution_id, barcode: row.barcode });

/**
 * Hold events move trapped copies: HoldTrapped (to the hold shelf, or in
 * transit to the pickup location) and HoldShelved (a transit arrived, or an
 * import). A hold that ends (fulfilled, cancelled, expired, trap released)
 * only drops a trap still waiting for its check-in: the copy itself stays
 * where it is until it is checked out or checked in again, and 17 shows 09
 * meanwhile because the hold kept for 17 (peer-facts.projection.ts, updated
 * first by every hold event) no longer waits.
 */
export function holdEventsSubscription(deps: { logger: Logger }): EventSubscription<ItemDatabase> {
  const { logger } = deps;
  return {
    from: "hold",
    name: "item-from-hold",
    handle: async (event: AnyEvent, envelope: events.EventEnvelope, trx: Trx) => {
      await projectHoldFacts(trx, event, envelope, logger);
      switch (event.type) {
        case "HoldTrapped":
          return trapped(trx, event.event, envelope, logger);
        case "HoldShelved": {
          const e = event.event;
          const row = await itemOfEvent(trx, { itemId: e.itemId, item: e.item });
          if (!row) return logger.warn({ event: event.type, eventId: envelope.eventId }, "hold event for an unknown item skipped");
          const pickup = pickupOf(envelope, row, e.pickupLocation || row.current_location);
          const shelve = { type: "MarkOnHoldShelf", item: ids(row), pickup, holdId: e.holdId } as const;
          await applyEventDecision(trx, row, envelope, (s) => decideMarkOnHoldShelf(shelve, s), { logger });
          return;
        }
        case "HoldFulfilled":
        case "HoldCancelled":
        case "HoldExpired":
        case "HoldTrapReleased":
          await dropTrapsOfHold(trx, event.event.holdId);
          return;
        default:
          return;
      }
    },
  };
}

/**
 * Pickup locations are codes within the hold queue's institution (the
 * event's), else the item's; no code at all means where the copy is now.
 */
function pickupOf(envelope: events.EventEnvelope, row: ItemRow, location: string): Location {
  return { institution: envelope.institutionId || row.institution_id, location: location || row.current_location };
}

/**
 * A copy trapped at a check-in whose ItemCheckedIn we have not applied yet is
 * parked until it arrives (see loan-events.ts); otherwise (the check-in came
 * first, or the copy was trapped from the shelf) it moves now.
 */
async function trapped(trx: Trx, e: HoldTrapped, envelope: events.EventEnvelope, logger: Logger): Promise<void> {
  const row = await itemOfEvent(trx, { itemId: e.itemId, item: e.item });
  if (!row) return logger.warn({ event: "HoldTrapped", eventId: envelope.eventId }, "hold event for an unknown item skipped");
  if (e.inTransit && !e.pickupLocation) logger.warn({ eventId: envelope.eventId }, "HoldTrapped in transit without a pickup location");
  const pickup = pickupOf(envelope, row, e.inTransit ? e.pickupLocation : e.pickupLocation || e.location);
  if (e.checkInId && !row.last_check_in_ids.includes(e.checkInId)) {
    await parkTrap(trx, {
      item_id: row.item_id,
      check_in_id: e.checkInId,
      hold_id: e.holdId,
      pickup_institution_id: pickup.institution,
      pickup_location: pickup.location,
      in_transit: e.inTransit,
    });
    return;
  }
  await applyEventDecision(
    trx,
    row,
    envelope,
    (s) =>
      e.inTransit
        ? decideMarkInTransit({ type: "MarkInTransit", item: ids(row), destination: pickup, reason: "hold", holdId: e.holdId }, s)
        : decideMarkOnHoldShelf({ type: "MarkOnHoldShelf", item: ids(row), pickup, holdId: e.holdId }, s),
    { logger },
  );
}
