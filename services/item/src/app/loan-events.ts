import type { AnyEvent, events } from "@circulate/contracts";
import type { Logger } from "@circulate/runtime";
import type { EventSubscription } from "@circulate/service";
import type { Transaction } from "kysely";
import type { ItemDatabase } from "../adapters/db.js";
import { dropParkedTraps, findParkedTrap, setLastCheckInIds } from "../adapters/items.repository.js";
import type { Location } from "../domain/index.js";
import { decideMarkItemState } from "../mark-item-state/mark-item-state.decider.js";
import { decideMarkReturned } from "../mark-returned/mark-returned.decider.js";
import { applyEventDecision, itemOfEvent } from "./event-changes.js";
import { projectLoanFacts } from "./peer-facts.projection.js";

type Trx = Transaction<ItemDatabase>;

/**
 * The ids a HoldTrapped may name for this check-in. The hold service names the
 * check-in's command id (the causation id of the ItemCheckedIn it applies the
 * trap from); the loan service records it as its events' causation id, and the gateway's correlation id is the
 * command id unless it chose another. Matching either keeps the two streams
 * joined whichever the loan service fills in.
 */
export const checkInIdsOf = (envelope: events.EventEnvelope): string[] =>
  [...new Set([envelope.causationId, envelope.correlationId])].filter((id) => id !== "");

/**
 * Loan events keep the item's circulation state: lent (ItemCheckedOut,
 * LoanImported, a cancelled check-in) and returned (ItemCheckedIn, a
 * cancelled checkout). Renewals and recalls change only the loan kept for 17
 * (peer-facts.projection.ts), which every loan event updates first.
 */
export function loanEventsSubscription(deps: { logger: Logger }): EventSubscription<ItemDatabase> {
  const { logger } = deps;
  return {
    from: "loan",
    name: "item-from-loan",
    handle: async (event: AnyEvent, envelope: events.EventEnvelope, trx: Trx) => {
      await projectLoanFacts(trx, event, envelope);
      switch (event.type) {
        case "ItemCheckedOut":
        case "LoanImported":
        case "CheckinCancelled": {
          const e = event.event;
          const row = await itemOfEvent(trx, { itemId: e.itemId, item: e.item });
          if (!row) return logger.warn({ event: event.type, eventId: envelope.eventId }, "loan event for an unknown item skipped");
          await applyEventDecision(
            trx,
            row,
            envelope,
            (state) => decideMarkItemState({ type: "MarkOnLoan", item: ids(row), loanId: e.loanId }, state),
            { logger },
          );
          return;
        }
        case "ItemCheckedIn":
          return checkedIn(trx, event.event, envelope, logger);
        case "CheckoutCancelled": {
          // The checkout is undone: the item is back in hand where it was, as after a check-in there.
          const row = await itemOfEvent(trx, { itemId: event.event.itemId, item: event.event.item });
          if (!row) return logger.warn({ event: event.type, eventId: envelope.eventId }, "loan event for an unknown item skipped");
          const here: Location = { institution: row.current_institution_id, location: row.current_location };
          await applyEventDecision(
            trx,
            row,
            envelope,
            (state) => decideMarkReturned({ type: "MarkReturned", item: ids(row), location: here, trap: null }, state),
            { logger },
          );
          return;
        }
        default:
          return;
      }
    },
  };
}

const ids = (row: { institution_id: string; barcode: string }) => ({ institution: row.institution_id, barcode: row.barcode });

/**
 * A check-in: the item is back at the terminal's location. The hold trap
 * travels with it, so the item goes to the hold shelf (or in transit to the
 * pickup) and never lands on the open shelf first: from the event itself when
 * the loan service states it (`hold_id`, `in_transit`, `destination_location`),
 * else from a HoldTrapped of this check-in that arrived first on the hold
 * stream and was parked in item_pending_traps. The check-in's ids are kept on
 * the item so a HoldTrapped that comes later applies at once.
 */
async function checkedIn(
  trx: Trx,
  e: Extract<AnyEvent, { type: "ItemCheckedIn" }>["event"],
  envelope: events.EventEnvelope,
  logger: Logger,
): Promise<void> {
  const row = await itemOfEvent(trx, { itemId: e.itemId, item: e.item });
  if (!row) return logger.warn({ event: "ItemCheckedIn", eventId: envelope.eventId }, "loan event for an unknown item skipped");
  const checkInIds = checkInIdsOf(envelope);
  // The location code is the terminal's, in the institution the transaction happened in.
  const location: Location = {
    institution: envelope.institutionId || e.institutionId || row.institution_id,
    location: e.location || row.current_location,
  };
  const parked = checkInIds.length > 0 ? await findParkedTrap(trx, row.item_id, checkInIds) : undefined;
  // A pickup here is the hold shelf where it was returned, whatever the two services call the institution.
  const pickup = (inTransit: boolean, elsewhere: Location): Location => (inTransit ? elsewhere : location);
  const trap = e.holdId
    ? { holdId: e.holdId, pickup: pickup(e.inTransit, { institution: location.institution, location: e.destinationLocation }) }
    : parked
      ? {
          holdId: parked.hold_id,
          pickup: pickup(parked.in_transit, { institution: parked.pickup_institution_id, location: parked.pickup_location }),
        }
      : undefined;
  const checkInId = parked?.check_in_id ?? checkInIds[0];
  await applyEventDecision(
    trx,
    row,
    envelope,
    (state) => decideMarkReturned({ type: "MarkReturned", item: ids(row), location, trap: trap ?? null, checkInId }, state),
    { logger },
  );
  if (checkInIds.length === 0) return;
  await dropParkedTraps(trx, row.item_id, checkInIds);
  await setLastCheckInIds(trx, row.item_id, checkInIds);
}
