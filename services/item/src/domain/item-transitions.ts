import { ITEM_STATUSES, type ItemStatus } from "./item.state.js";

/** Why a state change is refused: the state that stands in the way (or, for a claim, that there is no loan). */
export type TransitionRefusal =
  | "item_not_found"
  | "item_on_loan"
  | "item_not_on_loan"
  | "item_on_hold_shelf"
  | "item_in_transit"
  | "item_missing"
  | "item_lost"
  | "item_claimed_returned"
  | "item_in_process";

const ANY: readonly ItemStatus[] = ITEM_STATUSES;

/**
 * From which states each state can be entered by a Mark… command (listing the
 * target itself makes a repeat a no-op rather than a refusal: commands driven
 * by other services' events arrive at least once). MarkReturned is not here:
 * a checkin is possible from every state (see mark-returned/mark-returned.decider.ts).
 *
 * The principles behind the table:
 * - What another service already decided is recorded, not second-guessed: a
 *   checkout (`on_loan`) is accepted from every state, because the loan
 *   service checked the item (or it was an offline no-block checkout, which
 *   must be applied anyway), and the item was in the patron's hands.
 * - An item with an open loan (`on_loan`, and `lost` / `claimed_returned`,
 *   which keep the loan open) leaves it only through a checkin, so the loan
 *   and fee services hear of it; staff commands are refused there.
 * - Anything can be declared lost.
 */
export const ENTERABLE_FROM: Readonly<Record<ItemStatus, readonly ItemStatus[]>> = {
  on_loan: ANY,
  lost: ANY,
  on_hold_shelf: ["available", "in_transit", "on_hold_shelf"],
  in_transit: ["available", "on_hold_shelf", "in_transit", "in_process"],
  missing: ["available", "on_hold_shelf", "in_transit", "in_process", "missing"],
  claimed_returned: ["on_loan", "lost", "claimed_returned"],
  in_process: ["available", "in_transit", "missing", "in_process"],
  available: ["available", "in_process", "missing", "in_transit", "on_hold_shelf"],
};

const STANDS_IN_THE_WAY: Record<ItemStatus, TransitionRefusal> = {
  // Only a claim can be refused from "available", and the reason is the missing loan.
  available: "item_not_on_loan",
  on_loan: "item_on_loan",
  on_hold_shelf: "item_on_hold_shelf",
  in_transit: "item_in_transit",
  missing: "item_missing",
  lost: "item_lost",
  claimed_returned: "item_claimed_returned",
  in_process: "item_in_process",
};

/** The refusal that names `state` as what stands in the way. */
export function standsInTheWay(state: ItemStatus): TransitionRefusal {
  return STANDS_IN_THE_WAY[state];
}

/** `undefined` when `to` may be entered from `from`; otherwise the reason it may not. */
export function transitionRefusal(from: ItemStatus, to: ItemStatus): TransitionRefusal | undefined {
  if (ENTERABLE_FROM[to].includes(from)) return undefined;
  // A claim of return only makes sense for an item on loan, whatever else it is.
  return to === "claimed_returned" ? "item_not_on_loan" : STANDS_IN_THE_WAY[from];
}
