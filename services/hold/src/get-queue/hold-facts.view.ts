import { canTrap, type HoldQueue, holdTrappingItem } from "../domain/index.js";
import type { Instant } from "../domain/index.js";

/**
 * What the loan service's checkout (11) and renew (29, 65) decisions need to know
 * about holds on one copy. Plain data, so it travels over gRPC as well as in-process.
 */
export interface ItemHoldFacts {
  /** Patron the copy is trapped for (in transit or on the shelf): nobody else may borrow it. */
  readonly trappedFor: string | null;
  readonly trappedHoldId: string | null;
  /** Patrons with an active hold on this very copy (waiting or trapped). */
  readonly itemLevelHoldPatrons: readonly string[];
  /** Active holds on the title, whatever their state: the queue length a kiosk may show. */
  readonly titleQueueLength: number;
  /** Patrons, in queue order, whose hold this copy could fill now (would trap it at checkin). */
  readonly waitingPatrons: readonly string[];
}

/** A queue for another title than the one asked about: a wiring bug, not a refusal. */
export class HoldQueueMismatchError extends Error {
  override readonly name = "HoldQueueMismatchError";
}

export function holdFactsForItem(queue: HoldQueue, itemBarcode: string, titleKey: string, now: Instant, itemBranch: string | null = null): ItemHoldFacts {
  if (queue.titleKey !== null && queue.titleKey !== titleKey)
    throw new HoldQueueMismatchError(`queue of ${queue.titleKey} asked about ${titleKey}`);
  const trapped = holdTrappingItem(queue, itemBarcode);
  const copy = { itemBarcode, itemBranch };
  return {
    trappedFor: trapped?.patronKey ?? null,
    trappedHoldId: trapped?.holdId ?? null,
    itemLevelHoldPatrons: queue.holds.filter((h) => h.target.kind === "item" && h.target.itemBarcode === itemBarcode).map((h) => h.patronKey),
    titleQueueLength: queue.holds.length,
    waitingPatrons: queue.holds.filter((h) => canTrap(h, copy, now)).map((h) => h.patronKey),
  };
}

/** Checkout: a trapped copy goes to its hold patron only. */
export function trappedForSomeoneElse(facts: ItemHoldFacts, patronKey: string): boolean {
  return facts.trappedFor !== null && facts.trappedFor !== patronKey;
}

/**
 * Renewal: refused when the copy is trapped for someone else or another patron's
 * hold could take it. Expired and suspended holds do not block a renewal.
 */
export function someoneElseWaiting(facts: ItemHoldFacts, patronKey: string): boolean {
  return trappedForSomeoneElse(facts, patronKey) || facts.waitingPatrons.some((p) => p !== patronKey);
}

/** The facts as one patron's checkout or renewal needs them (the loan service's `HoldFacts` shape). */
export interface PatronItemHoldFacts {
  readonly trappedFor: string | null;
  readonly itemLevelHoldPatrons: readonly string[];
  readonly titleQueueLength: number;
  readonly someoneElseWaiting: boolean;
}

export function holdFactsForPatron(facts: ItemHoldFacts, patronKey: string): PatronItemHoldFacts {
  return {
    trappedFor: facts.trappedFor,
    itemLevelHoldPatrons: facts.itemLevelHoldPatrons,
    titleQueueLength: facts.titleQueueLength,
    someoneElseWaiting: someoneElseWaiting(facts, patronKey),
  };
}
