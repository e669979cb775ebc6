import { accept, type Decision, refuse } from "@circulate/domain";
import type { ItemEvent, TransitReason } from "./item.events.js";
import { homeOf, type ItemId, type ItemRecord, type Location, sameLocation } from "./item.record.js";
import type { ItemState, RegisteredItem } from "./item.state.js";

/**
 * Loan service: the item was checked in at `location` (ItemCheckedIn). The
 * hold service's trapping decision made during that checkin travels with it:
 * were it a separate event from another stream, the item service could apply
 * "trapped" before "returned" and end up on the shelf instead of the hold shelf.
 */
export interface MarkReturned {
  readonly type: "MarkReturned";
  readonly item: ItemId;
  readonly location: Location;
  /** Trapped for a hold to be picked up at `pickup`; `null` = no hold wants it. */
  readonly trap: { readonly pickup: Location } | null;
}

export type MarkReturnedRefusal = "item_not_found";

/** Where a returned item goes next; also the data the checkin reply needs (transit alert, destination). */
export type ReturnPlacement =
  | { readonly next: "available"; readonly location: Location }
  | { readonly next: "on_hold_shelf"; readonly pickup: Location }
  | { readonly next: "in_transit"; readonly destination: Location; readonly reason: TransitReason };

/**
 * Where an item checked in at `location` goes:
 * 1. trapped for a hold: onto the hold shelf if the pickup is here, else in transit to the pickup;
 * 2. returned at another institution than its owner: in transit home (Koha-style transfer; a
 *    consortium's items belong to their owner's shelves);
 * 3. otherwise available where it is: within its owner's institution an item floats between
 *    locations instead of being shipped back to its permanent location.
 */
export function placementAfterReturn(record: ItemRecord, location: Location, trap: MarkReturned["trap"]): ReturnPlacement {
  if (trap) {
    return sameLocation(trap.pickup, location)
      ? { next: "on_hold_shelf", pickup: trap.pickup }
      : { next: "in_transit", destination: trap.pickup, reason: "hold" };
  }
  if (location.institution !== record.owner) return { next: "in_transit", destination: homeOf(record), reason: "return_home" };
  return { next: "available", location };
}

function alreadyPlaced(item: RegisteredItem, at: Location, placement: ReturnPlacement): boolean {
  if (!sameLocation(item.currentLocation, at)) return false;
  const c = item.circulation;
  switch (placement.next) {
    case "available":
      return c.state === "available";
    case "on_hold_shelf":
      return c.state === "on_hold_shelf" && sameLocation(c.pickup, placement.pickup);
    case "in_transit":
      return c.state === "in_transit" && sameLocation(c.destination, placement.destination) && c.reason === placement.reason;
  }
}

/**
 * A checkin is possible from every state: it is how a missing, lost, claimed
 * returned or in-process item comes back, and how a transit arrives. The
 * events are `ItemReturned` (the item is here) plus, when it does not stay on
 * the shelf, `ItemPlacedOnHoldShelf` or `ItemSentInTransit`. Scanning an item
 * that is already exactly where the checkin would put it changes nothing
 * (sorters re-scan).
 */
export function decideMarkReturned(
  command: MarkReturned,
  state: ItemState,
): Decision<ItemEvent, MarkReturnedRefusal, ReturnPlacement> {
  if (state.status === "unregistered") return refuse("item_not_found");
  const placement = placementAfterReturn(state.record, command.location, command.trap);
  if (alreadyPlaced(state, command.location, placement)) return accept([], placement);
  const events: ItemEvent[] = [{ type: "ItemReturned", data: { location: command.location } }];
  if (placement.next === "on_hold_shelf") events.push({ type: "ItemPlacedOnHoldShelf", data: { pickup: placement.pickup } });
  if (placement.next === "in_transit") {
    events.push({ type: "ItemSentInTransit", data: { destination: placement.destination, reason: placement.reason } });
  }
  return accept(events, placement);
}
