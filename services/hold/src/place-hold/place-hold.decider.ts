import { type common, type DomainEventOf, domainEvent, item as itempb } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import {
  activeHoldOf,
  checkExpiry,
  copyRef,
  dateOf,
  type HoldQueue,
  type HoldReply,
  type HoldTarget,
  HoldType,
  holdTrappingItem,
  holdTypeOf,
  type Instant,
  isHoldTypeCode,
  patronKey,
} from "../domain/index.js";

/** 15 with hold mode `+`. The app resolved the queue: the title key (from `AJ`, or from the item of `AB`) and its institution. */
export interface PlaceHold {
  /** Generated outside the decider. */
  readonly holdId: string;
  /** The card, as the event records it; the hold's patron is its `patronKey`. */
  readonly patron: common.PatronRef;
  /** The institution whose copies fill the queue. */
  readonly institution: string;
  readonly titleKey: string;
  /** `BY` as sent (defaulted to "2" by the gateway when absent). */
  readonly holdType: string;
  /** `AB`: the copy asked for. Only hold type 3 holds that copy; otherwise it just named the title. */
  readonly itemBarcode: string | null;
  /** `BS`; `null` = the default from the facts. */
  readonly pickupLocation: string | null;
  /** `BW`, already turned into an instant by the gateway. */
  readonly expiresAt: Instant | null;
}

/** Facts owned by other services (patron standing, item catalogue) and by configuration. */
export interface PlaceHoldFacts {
  readonly patron: { readonly found: boolean; readonly holdPrivilegesDenied: boolean };
  /** The title, or for hold type 3 the copy. */
  readonly target: { readonly found: boolean; readonly holdable: boolean; readonly availableNow: boolean };
  /** Used when 15 has no `BS` (e.g. the patron's home branch or the terminal's). */
  readonly defaultPickupLocation: string | null;
  /** Valid pickup locations; `null` = any. */
  readonly pickupLocations: readonly string[] | null;
}

export type PlaceHoldRefusal =
  | "patron_not_found"
  | "hold_privileges_denied"
  | "hold_type_unknown"
  | "item_required"
  | "item_not_found"
  | "title_not_found"
  | "item_not_holdable"
  | "pickup_location_required"
  | "pickup_location_invalid"
  | "dates_invalid"
  | "expiry_in_past"
  | "duplicate_hold"
  | "hold_id_taken";

export function decidePlaceHold(
  command: PlaceHold,
  queue: HoldQueue,
  facts: PlaceHoldFacts,
  now: Instant,
): Decision<DomainEventOf<"HoldPlaced">, PlaceHoldRefusal, HoldReply> {
  const patron = patronKey(command.patron);
  if (!facts.patron.found) return refuse("patron_not_found", patron);
  if (facts.patron.holdPrivilegesDenied) return refuse("hold_privileges_denied", patron);
  if (!isHoldTypeCode(command.holdType)) return refuse("hold_type_unknown", `BY ${command.holdType}`);
  const target = targetFor(command.holdType, command.itemBarcode);
  if (!target) return refuse("item_required", "hold type 3 needs an item identifier");
  if (!facts.target.found)
    return target.kind === "item" ? refuse("item_not_found", command.itemBarcode ?? "") : refuse("title_not_found", command.titleKey);
  if (!facts.target.holdable) return refuse("item_not_holdable", command.itemBarcode ?? command.titleKey);

  const pickupLocation = command.pickupLocation ?? facts.defaultPickupLocation;
  if (pickupLocation === null || pickupLocation === "") return refuse("pickup_location_required");
  if (facts.pickupLocations !== null && !facts.pickupLocations.includes(pickupLocation))
    return refuse("pickup_location_invalid", pickupLocation);
  const expiry = checkExpiry(command.expiresAt, now);
  if (expiry) return expiry;

  const existing = activeHoldOf(queue, patron);
  if (existing) return refuse("duplicate_hold", `${patron} already holds ${existing.holdId} on ${command.titleKey}`);
  if (queue.closed.has(command.holdId) || queue.holds.some((h) => h.holdId === command.holdId))
    return refuse("hold_id_taken", command.holdId);

  // The patron service's id, the copy's id, the title and the terminal are the app's to add.
  const event = domainEvent("HoldPlaced", {
    holdId: command.holdId,
    patron: command.patron,
    holdType: holdTypeOf(command.holdType),
    item: target.kind === "item" ? copyRef(command.institution, target.itemBarcode) : undefined,
    titleId: command.titleKey,
    pickupLocation,
    expiresAt: dateOf(command.expiresAt),
    placedAt: new Date(now),
  });
  return accept([event], {
    holdId: command.holdId,
    titleKey: command.titleKey,
    itemBarcode: target.kind === "item" ? target.itemBarcode : null,
    // Placement order is queue order: the new hold goes last.
    queuePosition: queue.holds.length + 1,
    available: facts.target.availableNow,
    expiresAt: command.expiresAt,
    pickupLocation,
  });
}

/** Hold type 1 ("other") is treated as any copy of the title, the common reading. */
function targetFor(holdType: string, itemBarcode: string | null): HoldTarget | null {
  if (holdType === HoldType.specificCopy) return itemBarcode ? { kind: "item", itemBarcode } : null;
  if (holdType === HoldType.anyCopyAtBranch) return { kind: "branch" };
  return { kind: "title" };
}

/** The copy 15 named, as the item and loan facts know it. */
export interface NamedCopy {
  readonly barcode: string;
  readonly circulating: boolean;
  readonly state: itempb.ItemState;
  /** "unknown" while the loan facts are behind: the copy then does not count as available. */
  readonly onLoan: boolean | "unknown";
}

/** A copy that does not circulate, or was withdrawn, cannot be held. */
export function copyHoldable(copy: NamedCopy): boolean {
  return copy.circulating && copy.state !== itempb.ItemState.WITHDRAWN;
}

/** 16's available flag when placing: the copy is on the shelf, not on loan, not trapped, and nobody is queued ahead. */
export function copyAvailableNow(copy: NamedCopy | undefined, queue: HoldQueue): boolean {
  if (!copy?.circulating || copy.onLoan !== false) return false;
  const onShelf = copy.state === itempb.ItemState.AVAILABLE || copy.state === itempb.ItemState.UNSPECIFIED;
  return onShelf && queue.holds.length === 0 && holdTrappingItem(queue, copy.barcode) === undefined;
}
