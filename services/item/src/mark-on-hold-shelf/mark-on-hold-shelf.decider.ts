import { domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { type ItemId, type Location, sameLocation } from "../domain/item.record.js";
import type { ItemEvent, ItemState } from "../domain/item.state.js";
import { type TransitionRefusal, transitionRefusal } from "../domain/item-transitions.js";

/**
 * Hold service: the item was trapped for a hold and is on the shelf at
 * `pickup`. A trap at checkin travels with MarkReturned instead, so it cannot
 * race the checkin; this command is for items trapped from the shelf and for
 * transits arriving at their pickup location.
 */
export interface MarkOnHoldShelf {
  readonly type: "MarkOnHoldShelf";
  readonly item: ItemId;
  readonly pickup: Location;
  /** The hold it waits for, when known. */
  readonly holdId?: string;
}

/** The item on the hold shelf at `pickup`, waiting for `holdId` ("" = not known). */
export function placedOnHoldShelf(pickup: Location, holdId = ""): ItemEvent {
  return domainEvent("ItemPlacedOnHoldShelf", { pickupLocation: pickup.location, pickupInstitutionId: pickup.institution, holdId });
}

/** Puts the item on the hold shelf at `pickup`; already there, nothing changes. */
export function decideMarkOnHoldShelf(command: MarkOnHoldShelf, state: ItemState): Decision<ItemEvent, TransitionRefusal> {
  if (state.status === "unregistered") return refuse("item_not_found");
  const current = state.circulation;
  const refusal = transitionRefusal(current.state, "on_hold_shelf");
  if (refusal) return refuse(refusal, `MarkOnHoldShelf: item is ${current.state}`);
  if (current.state === "on_hold_shelf" && sameLocation(current.pickup, command.pickup)) return accept([]);
  return accept([placedOnHoldShelf(command.pickup, command.holdId)]);
}
