import type { HoldTypeCode } from "./hold.codes.js";
import type { Instant } from "./instant.value.js";

/**
 * Events of one title's hold queue (stream `holdq-<institution>-<titleKey>`). Every
 * event names its hold, title and patron so projections (the patron's holds for
 * 64, the item service's "on hold shelf" state) never parse stream ids.
 */
export type HoldEvent =
  | HoldPlaced
  | HoldChanged
  | HoldSuspended
  | HoldResumed
  | HoldCancelled
  | HoldTrapped
  | HoldArrived
  | HoldInTransit
  | HoldTrapReleased
  | HoldFulfilled
  | HoldExpired;

/**
 * What a hold can be filled by. `branch` (SIP2 hold type 4, any copy at a single
 * branch) means a copy whose home branch is the hold's pickup location: 15 has no
 * other field to name the branch.
 */
export type HoldTarget = { readonly kind: "title" } | { readonly kind: "item"; readonly itemBarcode: string } | { readonly kind: "branch" };

/** Where a trapped item is: waiting on the pickup location's hold shelf, or travelling there. */
export type TrapDisposition = "on_shelf" | "in_transit";

interface HoldEventBase {
  readonly holdId: string;
  readonly titleKey: string;
  readonly patronId: string;
}

export interface HoldPlaced extends HoldEventBase {
  readonly type: "HoldPlaced";
  readonly holdType: HoldTypeCode;
  readonly target: HoldTarget;
  readonly pickupLocation: string;
  /** Not wanted after this instant (15's `BW`); `null` = until filled or cancelled. */
  readonly expiresAt: Instant | null;
  readonly placedAt: Instant;
}

export interface HoldChanged extends HoldEventBase {
  readonly type: "HoldChanged";
  readonly pickupLocation: string;
  readonly expiresAt: Instant | null;
  readonly changedAt: Instant;
}

export interface HoldSuspended extends HoldEventBase {
  readonly type: "HoldSuspended";
  /** Passed over by trapping until this instant; `null` = until resumed. */
  readonly until: Instant | null;
  readonly suspendedAt: Instant;
}

export interface HoldResumed extends HoldEventBase {
  readonly type: "HoldResumed";
  readonly resumedAt: Instant;
}

export interface HoldCancelled extends HoldEventBase {
  readonly type: "HoldCancelled";
  readonly cancelledAt: Instant;
  /** The item that was trapped for it: staff must check it in again to trap it for the next hold. */
  readonly releasedItem: string | null;
}

export interface HoldTrapped extends HoldEventBase {
  readonly type: "HoldTrapped";
  readonly itemBarcode: string;
  readonly pickupLocation: string;
  readonly disposition: TrapDisposition;
  /** Where the item was checked in. */
  readonly location: string;
  readonly trappedAt: Instant;
  /** Until when it waits on the shelf (on_shelf only). */
  readonly shelfExpiresAt: Instant | null;
}

/** An item in transit for a hold was checked in at its pickup location. */
export interface HoldArrived extends HoldEventBase {
  readonly type: "HoldArrived";
  readonly itemBarcode: string;
  readonly location: string;
  readonly arrivedAt: Instant;
  readonly shelfExpiresAt: Instant | null;
}

/** An item waiting on the hold shelf was checked in somewhere else: it must travel back. */
export interface HoldInTransit extends HoldEventBase {
  readonly type: "HoldInTransit";
  readonly itemBarcode: string;
  readonly location: string;
  readonly destination: string;
  readonly at: Instant;
}

/**
 * The trapped item went to someone else (a no-block checkout), or staff (an
 * import) say the hold waits again: it keeps its place in the queue.
 */
export interface HoldTrapReleased extends HoldEventBase {
  readonly type: "HoldTrapReleased";
  readonly itemBarcode: string;
  readonly reason: "checked_out_to_other" | "staff";
  readonly releasedAt: Instant;
}

export interface HoldFulfilled extends HoldEventBase {
  readonly type: "HoldFulfilled";
  /** The copy the patron checked out. */
  readonly itemBarcode: string;
  readonly fulfilledAt: Instant;
  /** Another copy that had been trapped for this hold and is now free for the next. */
  readonly releasedItem: string | null;
}

export interface HoldExpired extends HoldEventBase {
  readonly type: "HoldExpired";
  /** `not_filled`: past its expiry date while waiting; `not_collected`: left on the shelf too long. */
  readonly reason: "not_filled" | "not_collected";
  readonly expiredAt: Instant;
  readonly releasedItem: string | null;
}
