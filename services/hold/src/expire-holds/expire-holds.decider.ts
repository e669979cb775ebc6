import { type DomainEventOf, domainEvent } from "@circulate/contracts";
import { accept, type Decision } from "@circulate/domain";
import { copyRef, type HoldQueue } from "../domain/index.js";
import { atOrBefore, type Instant } from "../domain/index.js";

/** Run by a schedule per queue (and worth running before answering 64). */
export interface ExpireHolds {
  /** The queue: the institution whose copies fill it, and the title. */
  readonly institution: string;
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
export function decideExpireHolds(command: ExpireHolds, queue: HoldQueue, now: Instant): Decision<DomainEventOf<"HoldExpired">, never, ExpireResult> {
  const events: DomainEventOf<"HoldExpired">[] = [];
  for (const hold of queue.holds) {
    const expired = (uncollected: boolean, releasedItem: string | null) =>
      events.push(
        domainEvent("HoldExpired", {
          holdId: hold.holdId,
          patronId: hold.patronId,
          uncollected,
          titleId: command.titleKey,
          releasedItem: copyRef(command.institution, releasedItem),
        }),
      );
    if (hold.status === "waiting" && hold.expiresAt !== null && atOrBefore(hold.expiresAt, now)) expired(false, null);
    else if (hold.status === "on_shelf" && hold.trap.shelfExpiresAt !== null && atOrBefore(hold.trap.shelfExpiresAt, now))
      expired(true, hold.trap.itemBarcode);
  }
  return accept(events, {
    expiredHoldIds: events.map((e) => e.data.holdId),
    releasedItems: events.flatMap((e) => (e.data.releasedItem ? [e.data.releasedItem.barcode] : [])),
  });
}
