import { domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import type { ItemId, Location } from "../domain/item.record.js";
import type { ItemEvent, ItemState } from "../domain/item.state.js";
import { standsInTheWay, type TransitionRefusal, transitionRefusal } from "../domain/item-transitions.js";
import { transitStarted } from "../mark-in-transit/mark-in-transit.decider.js";
import { placementAfterReturn, type ReturnPlacement } from "../mark-returned/mark-returned.decider.js";
import { itemStateToProto } from "../domain/proto-codes.js";

/** Staff: the item is not on the shelf where it should be (inventory), or it turned up again. */
export interface SetItemStatus {
  readonly type: "SetItemStatus";
  readonly item: ItemId;
  readonly status: "missing" | "found";
  /** Who (staff name or login): recorded, so the change can be traced to a person. */
  readonly staff: string;
  /** Why; recorded as the event's note. */
  readonly reason: string;
  /** Found: where; `null` = where the item was last recorded. */
  readonly foundAt: Location | null;
}

export type SetItemStatusRefusal = TransitionRefusal | "staff_required" | "reason_required";

/**
 * Missing follows the transition table (MarkMissing's rule: an item on loan,
 * lost or claimed returned is refused; the loan is closed by a checkin). Found
 * is for a missing item only, and puts it where a return at that place would
 * without a hold: available there within its owner's institution, else in
 * transit home. Lost and claimed-returned items keep a loan open, so they come
 * back by a checkin, which also gives a waiting hold its copy; so does a found
 * item checked in afterwards. Already there (missing again, found while on the
 * shelf): accepted with no event, so a double click records nothing.
 */
export function decideSetItemStatus(command: SetItemStatus, state: ItemState): Decision<ItemEvent, SetItemStatusRefusal, ReturnPlacement | null> {
  if (state.status === "unregistered") return refuse("item_not_found");
  const staff = command.staff.trim();
  const note = command.reason.trim();
  if (staff === "") return refuse("staff_required", "say who changes the item");
  if (note === "") return refuse("reason_required", "say why");
  const from = state.circulation.state;

  if (command.status === "missing") {
    const refusal = transitionRefusal(from, "missing");
    if (refusal) return refuse(refusal, `missing: item is ${from}`);
    return accept(from === "missing" ? [] : [domainEvent("ItemMarkedMissing", { note, staff })], null);
  }

  if (from === "available") return accept([], null);
  if (from !== "missing") return refuse(standsInTheWay(from), `found: item is ${from}, not missing`);
  const at = command.foundAt ?? state.currentLocation;
  const placement = placementAfterReturn(state.record, at, null);
  const found = domainEvent("ItemFound", {
    previousState: itemStateToProto(from),
    location: at.location,
    institutionId: at.institution,
    staff,
    note,
  });
  const events = placement.next === "in_transit" ? [found, transitStarted(at, placement.destination, placement.reason)] : [found];
  return accept(events, placement);
}
