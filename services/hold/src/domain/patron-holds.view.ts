import type { HoldTypeCode } from "./hold.codes.js";
import type { Hold, HoldQueue } from "./hold-queue.state.js";
import type { Instant } from "./instant.value.js";

/** One hold as 64 lists it (`AS` available, `CD` unavailable); the gateway formats the text. */
export interface PatronHold {
  readonly holdId: string;
  readonly titleKey: string;
  readonly holdType: HoldTypeCode;
  /** The trapped copy, else the copy asked for, else `null` (any copy). */
  readonly itemBarcode: string | null;
  readonly status: Hold["status"];
  readonly position: number;
  readonly pickupLocation: string;
  readonly expiresAt: Instant | null;
  /** Collect by (on the shelf only). */
  readonly shelfExpiresAt: Instant | null;
}

export interface PatronHoldsView {
  /** Waiting on the hold shelf: 64's hold items. */
  readonly available: readonly PatronHold[];
  /** Still queued or in transit: 64's unavailable hold items. */
  readonly unavailable: readonly PatronHold[];
}

/** Across the queues of the titles the patron holds (found by the app's hold-by-patron projection). */
export function patronHoldsView(queues: readonly HoldQueue[], patronKey: string): PatronHoldsView {
  const available: PatronHold[] = [];
  const unavailable: PatronHold[] = [];
  for (const queue of queues) {
    queue.holds.forEach((hold, i) => {
      if (hold.patronKey !== patronKey || queue.titleKey === null) return;
      const trapped = hold.status === "waiting" ? null : hold.trap;
      const row: PatronHold = {
        holdId: hold.holdId,
        titleKey: queue.titleKey,
        holdType: hold.holdType,
        itemBarcode: trapped?.itemBarcode ?? (hold.target.kind === "item" ? hold.target.itemBarcode : null),
        status: hold.status,
        position: i + 1,
        pickupLocation: hold.pickupLocation,
        expiresAt: hold.expiresAt,
        shelfExpiresAt: hold.status === "on_shelf" ? (trapped?.shelfExpiresAt ?? null) : null,
      };
      (hold.status === "on_shelf" ? available : unavailable).push(row);
    });
  }
  return { available, unavailable };
}
