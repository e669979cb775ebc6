import { domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { homeOf, type ItemId, type ItemRecord, type Location, sameLocation } from "../domain/item.record.js";
import type { ItemEvent, ItemState, RegisteredItem, TransitReason } from "../domain/item.state.js";
import { transitStarted } from "../mark-in-transit/mark-in-transit.decider.js";
import { placedOnHoldShelf } from "../mark-on-hold-shelf/mark-on-hold-shelf.decider.js";

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
  /** Trapped for a hold (`holdId` when known) to be picked up at `pickup`; `null` = no hold wants it. */
  readonly trap: { readonly pickup: Location; readonly holdId?: string } | null;
  /** The check-in that returned it, when known. */
  readonly checkInId?: string;
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
 * the shelf, `ItemPlacedOnHoldShelf` or `ItemTransitStarted`. Scanning an item
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
  const { location, trap } = command;
  const events: ItemEvent[] = [
    domainEvent("ItemReturned", { location: location.location, institutionId: location.institution, checkInId: command.checkInId ?? "" }),
  ];
  if (placement.next === "on_hold_shelf") events.push(placedOnHoldShelf(placement.pickup, trap?.holdId));
  // It leaves from where it was just returned.
  if (placement.next === "in_transit") events.push(transitStarted(location, placement.destination, placement.reason, trap?.holdId));
  return accept(events, placement);
}
