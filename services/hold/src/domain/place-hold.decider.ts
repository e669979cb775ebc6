import { type common, type DomainEventOf, domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { HoldType, holdTypeOf, isHoldTypeCode } from "./hold.codes.js";
import { activeHoldOf, copyRef, type Hold, type HoldQueue, type HoldTarget, patronKey, positionOf } from "./hold-queue.state.js";
import { atOrBefore, dateOf, type Instant, isInstant } from "./instant.value.js";

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

/** What 16 reports. */
export interface HoldReply {
  readonly holdId: string;
  readonly titleKey: string;
  readonly itemBarcode: string | null;
  /** `BR`, 1-based. */
  readonly queuePosition: number;
  /** 16's available flag: a copy can be had now (placing), or the hold waits on the shelf (changing). */
  readonly available: boolean;
  readonly expiresAt: Instant | null;
  readonly pickupLocation: string;
}

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

export function checkExpiry(expiresAt: Instant | null, now: Instant) {
  if (expiresAt === null) return null;
  if (!isInstant(expiresAt)) return refuse("dates_invalid", `expiry ${expiresAt}`);
  if (atOrBefore(expiresAt, now)) return refuse("expiry_in_past", expiresAt);
  return null;
}

export function replyFor(queue: HoldQueue, hold: Hold, titleKey: string): HoldReply {
  return {
    holdId: hold.holdId,
    titleKey,
    itemBarcode: hold.status !== "waiting" ? hold.trap.itemBarcode : hold.target.kind === "item" ? hold.target.itemBarcode : null,
    queuePosition: positionOf(queue, hold.holdId) ?? 0,
    available: hold.status === "on_shelf",
    expiresAt: hold.expiresAt,
    pickupLocation: hold.pickupLocation,
  };
}
