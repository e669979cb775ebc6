import { refuse } from "@circulate/domain";
import { activeHoldOf, type Hold, type HoldQueue, positionOf } from "./hold-queue.state.js";
import { atOrBefore, type Instant, isInstant } from "./instant.value.js";

/** What 15 `+`, `-` and `*` share: naming an existing hold, the expiry rule, the reply (16). */

/**
 * Which hold a 15 `-` or `*` means. SIP2 names the patron and the title or item,
 * never a hold id; one active hold per patron per title makes that unambiguous.
 * `holdId` is for staff tools that know it.
 */
export interface HoldRef {
  readonly patronKey: string;
  /** The queue: the institution whose copies fill it, and the title. */
  readonly institution: string;
  readonly titleKey: string;
  readonly holdId: string | null;
}

export function findHold(queue: HoldQueue, ref: HoldRef): Hold | undefined {
  const hold = activeHoldOf(queue, ref.patronKey);
  return hold && (ref.holdId === null || hold.holdId === ref.holdId) ? hold : undefined;
}

/** An expiry must be a readable instant, still ahead. */
export function checkExpiry(expiresAt: Instant | null, now: Instant) {
  if (expiresAt === null) return null;
  if (!isInstant(expiresAt)) return refuse("dates_invalid", `expiry ${expiresAt}`);
  if (atOrBefore(expiresAt, now)) return refuse("expiry_in_past", expiresAt);
  return null;
}

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
