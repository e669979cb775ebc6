// Builders for the unit specs only (excluded from the build).
import { type DomainEventOf, domainEvent } from "@circulate/contracts";
import { HoldType, holdTypeOf } from "./hold.codes.js";
import { copyRef, type HoldQueue, type HoldQueueEvent, type HoldTarget, patronKey, queueFrom } from "./hold-queue.state.js";

export const INSTITUTION = "MAIN";
export const TITLE = "title-moby";

/** The key a spec's patron (a card of `INSTITUTION`) has in the queue. */
export const key = (barcode: string): string => patronKey({ institutionId: INSTITUTION, barcode });

/** The patron service's id of a spec's patron. */
export const idOf = (barcode: string): string => `pat-${barcode}`;

export const at = (instant: string): Date => new Date(instant);

export interface PlacedOptions {
  readonly target?: HoldTarget;
  readonly pickupLocation?: string;
  readonly expiresAt?: string;
  readonly placedAt?: string;
  readonly titleKey?: string;
}

export function placed(holdId: string, patron: string, over: PlacedOptions = {}): DomainEventOf<"HoldPlaced"> {
  const target = over.target ?? { kind: "title" };
  return domainEvent("HoldPlaced", {
    holdId,
    patronId: idOf(patron),
    patron: { institutionId: INSTITUTION, barcode: patron },
    holdType: holdTypeOf(target.kind === "item" ? HoldType.specificCopy : target.kind === "branch" ? HoldType.anyCopyAtBranch : HoldType.anyCopyOfTitle),
    item: target.kind === "item" ? copyRef(INSTITUTION, target.itemBarcode) : undefined,
    titleId: over.titleKey ?? TITLE,
    pickupLocation: over.pickupLocation ?? "MAIN",
    expiresAt: over.expiresAt === undefined ? undefined : at(over.expiresAt),
    placedAt: at(over.placedAt ?? "2025-01-01T10:00:00Z"),
  });
}

export interface TrappedOptions {
  readonly inTransit?: boolean;
  readonly pickupLocation?: string;
  /** On the shelf until; `null` = no date. */
  readonly shelfExpiresAt?: string | null;
  readonly titleKey?: string;
}

/** A copy set aside for the hold: on the shelf of its pickup location (HoldTrapped + HoldShelved), or in transit there. */
export function trapped(holdId: string, patron: string, itemBarcode: string, over: TrappedOptions = {}): HoldQueueEvent[] {
  const pickupLocation = over.pickupLocation ?? "MAIN";
  const base = { holdId, patronId: idOf(patron), titleId: over.titleKey ?? TITLE, item: copyRef(INSTITUTION, itemBarcode), pickupLocation };
  const trap = domainEvent("HoldTrapped", { ...base, location: "MAIN", inTransit: over.inTransit ?? false });
  if (over.inTransit) return [trap];
  const shelfExpiresAt = over.shelfExpiresAt === undefined ? "2025-02-08T21:59:59Z" : over.shelfExpiresAt;
  return [trap, domainEvent("HoldShelved", { ...base, pickupBy: shelfExpiresAt === null ? undefined : at(shelfExpiresAt) })];
}

export function given(...events: (HoldQueueEvent | readonly HoldQueueEvent[])[]): HoldQueue {
  return queueFrom(events.flat());
}
