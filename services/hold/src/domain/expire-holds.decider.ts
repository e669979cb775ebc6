import { accept, type Decision } from "@circulate/domain";
import type { HoldEvent, HoldExpired } from "./hold.events.js";
import type { HoldQueue } from "./hold-queue.state.js";
import { atOrBefore, type Instant } from "./instant.value.js";

/** Run by a schedule per queue (and worth running before answering 64). */
export interface ExpireHolds {
  readonly titleKey: string;
}

export interface ExpireResult {
  readonly expiredHoldIds: readonly string[];
  /** Copies that were on the shelf for an expired hold: check them in again to trap them for the next. */
  readonly releasedItems: readonly string[];
}

/**
 * A waiting hold past its expiry date was not filled in time; a copy left on the
 * shelf past its pickup date was not collected. A copy in transit is not expired:
 * the patron has not had their chance to collect it yet. Trapping already skips
 * expired holds, so this only tidies the queue and tells the patron.
 */
export function decideExpireHolds(command: ExpireHolds, queue: HoldQueue, now: Instant): Decision<HoldEvent, never, ExpireResult> {
  const events: HoldExpired[] = [];
  for (const hold of queue.holds) {
    const base = { type: "HoldExpired", holdId: hold.holdId, titleKey: command.titleKey, patronId: hold.patronId, expiredAt: now } as const;
    if (hold.status === "waiting" && hold.expiresAt !== null && atOrBefore(hold.expiresAt, now))
      events.push({ ...base, reason: "not_filled", releasedItem: null });
    else if (hold.status === "on_shelf" && hold.trap.shelfExpiresAt !== null && atOrBefore(hold.trap.shelfExpiresAt, now))
      events.push({ ...base, reason: "not_collected", releasedItem: hold.trap.itemBarcode });
  }
  return accept(events, {
    expiredHoldIds: events.map((e) => e.holdId),
    releasedItems: events.flatMap((e) => (e.releasedItem ? [e.releasedItem] : [])),
  });
}
