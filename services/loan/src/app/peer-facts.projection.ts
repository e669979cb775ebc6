import type { AnyEvent, hold, item } from "@circulate/contracts";
import type { DeliveredEvent, EventSubscription, ProjectionSpec } from "@circulate/service";
import type { LoanDatabase } from "../adapters/db.js";
import { saveHold, saveItems, savePatronName } from "../adapters/peer-facts.repository.js";

/** The item or hold an event of the item or hold service carries as it is after the event. */
function carried<T>(e: AnyEvent): T | undefined {
  return "current" in e.event ? (e.event.current as T | undefined) : undefined;
}

/** The items the events of a batch carry, each with its event's position in the item's stream. */
function carriedItems(batch: readonly DeliveredEvent[]): { current: item.Item; position: number }[] {
  return batch.flatMap(({ event, envelope }) => {
    const current = carried<item.Item>(event);
    return current?.itemId ? [{ current, position: envelope.streamPosition }] : [];
  });
}

/** The copies, for `rebuild-projections`. */
export const LOAN_PROJECTIONS: readonly ProjectionSpec[] = [
  { consumer: "loan-from-item", from: "item", tables: ["peer_items"] },
  { consumer: "loan-from-hold", from: "hold", tables: ["peer_holds"] },
  { consumer: "loan-from-patron", from: "patron", tables: ["peer_patrons"] },
];

/**
 * Our copies of the item and hold services' facts (and patrons' names, for the
 * hold patron a checkin names), kept from their events: checkout, checkin and
 * renewal decide from them without asking. Each event
 * carries its item or hold whole, so applying one is an upsert, and one older
 * than what is stored (a redelivery, a late replay) changes nothing. An event without it (written before events carried
 * it) is skipped.
 */
export function peerFactsSubscriptions(): EventSubscription<LoanDatabase>[] {
  return [
    {
      from: "item",
      name: LOAN_PROJECTIONS[0]!.consumer,
      idempotent: true,
      handle: (event, envelope, trx) => saveItems(trx, carriedItems([{ event, envelope }])),
      // A bulk import sends items by the hundred thousand: one statement a batch keeps the copy close behind.
      handleBatch: (batch, trx) => saveItems(trx, carriedItems(batch)),
    },
    {
      from: "hold",
      name: LOAN_PROJECTIONS[1]!.consumer,
      idempotent: true,
      handle: async (e, envelope, trx) => {
        const current = carried<hold.Hold>(e);
        if (current?.holdId) await saveHold(trx, current, envelope.streamPosition);
      },
    },
    {
      from: "patron",
      name: LOAN_PROJECTIONS[2]!.consumer,
      idempotent: true,
      types: ["PatronRegistered", "PatronDetailsUpdated"],
      handle: async (e, envelope, trx) => {
        if (e.type === "PatronRegistered" || e.type === "PatronDetailsUpdated") await savePatronName(trx, e.event.patronId, e.event.name, envelope.streamPosition);
      },
    },
  ];
}
