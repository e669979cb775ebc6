import { accept, type Decision, refuse } from "@circulate/domain";
import type { ItemEvent, TransitReason } from "./item.events.js";
import { type ItemId, type Location, sameLocation } from "./item.record.js";
import type { ItemState } from "./item.state.js";
import { type TransitionRefusal, transitionRefusal } from "./item-transitions.js";

/** Staff or the hold service send the item to `destination`. */
export interface MarkInTransit {
  readonly type: "MarkInTransit";
  readonly item: ItemId;
  readonly destination: Location;
  readonly reason: TransitReason;
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
  return accept([{ type: "ItemSentInTransit", data: { destination: command.destination, reason: command.reason } }]);
}
