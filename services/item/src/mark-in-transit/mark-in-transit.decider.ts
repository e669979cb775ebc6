import { domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { type ItemId, type Location, sameLocation } from "../domain/item.record.js";
import type { ItemEvent, ItemState, TransitReason } from "../domain/item.state.js";
import { transitReasonToProto } from "../domain/proto-codes.js";
import { type TransitionRefusal, transitionRefusal } from "../domain/item-transitions.js";

/** Staff or the hold service send the item to `destination`. */
export interface MarkInTransit {
  readonly type: "MarkInTransit";
  readonly item: ItemId;
  readonly destination: Location;
  readonly reason: TransitReason;
  /** The hold it travels for, when known. */
  readonly holdId?: string;
}

/** The item leaves `from` for `destination` ("" hold id = not for a known hold). */
export function transitStarted(from: Location, destination: Location, reason: TransitReason, holdId = ""): ItemEvent {
  return domainEvent("ItemTransitStarted", {
    fromLocation: from.location,
    toLocation: destination.location,
    toInstitutionId: destination.institution,
    reason: transitReasonToProto(reason),
    holdId,
  });
}

export type MarkInTransitRefusal = TransitionRefusal | "already_at_destination";

/**
 * Sends the item on its way. A transit to where the item already is would
 * leave it "in transit" on its own shelf, so it is refused; the same transit
 * again is a no-op; another destination re-routes it.
 */
export function decideMarkInTransit(command: MarkInTransit, state: ItemState): Decision<ItemEvent, MarkInTransitRefusal> {
  if (state.status === "unregistered") return refuse("item_not_found");
  const current = state.circulation;
  const refusal = transitionRefusal(current.state, "in_transit");
  if (refusal) return refuse(refusal, `MarkInTransit: item is ${current.state}`);
  if (current.state === "in_transit") {
    if (sameLocation(current.destination, command.destination) && current.reason === command.reason) return accept([]);
  } else if (sameLocation(state.currentLocation, command.destination)) {
    return refuse("already_at_destination");
  }
  return accept([transitStarted(state.currentLocation, command.destination, command.reason, command.holdId)]);
}
