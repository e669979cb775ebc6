import type { ItemState } from "../domain/item.state.js";
import { CIRCULATION_STATUS, type CirculationStatusCode } from "../domain/sip2-codes.js";

/** What the loan service knows about the item right now (owner of loans, due and recall dates). */
export interface LoanFacts {
  readonly onLoan: boolean;
  readonly dueDate?: Date;
  /** Set when the loan was recalled. */
  readonly recallDate?: Date;
}

/** What the hold service knows about the item right now. */
export interface HoldFacts {
  /** Open hold requests that this item could fill (SIP2 `CF`). */
  readonly queueLength: number;
  /** Trapped and waiting on a hold shelf. */
  readonly waitingOnShelf: boolean;
  /** Last day the waiting hold can be collected (SIP2 `CM`). */
  readonly pickupDate?: Date;
}

/**
 * The 2-digit circulation status for 18. The item's own state is the base;
 * loan and hold facts, when given, are fresher on what their services own
 * (the item's state follows their events a moment later), so they win there:
 *
 * - unknown item → 01 other (what Koha and Evergreen send).
 * - lost → 12 and claimed returned → 11 even with a loan: those states keep
 *   the loan open, and they are what staff and the kiosk must see.
 * - a loan (fact, else state) → 04 charged, 07 when recalled.
 * - the item believes it is on loan but the loan service says it is not, or
 *   it believes it is on a hold shelf but the hold service says no hold is
 *   waiting: 09 waiting to be re-shelved — it is back, and its next place is
 *   not settled yet. Claiming 03 could send a patron to an empty shelf.
 * - a waiting hold (fact, else state) → 08; missing → 13; in transit → 10;
 *   in process → 06; available → 03.
 */
export function circulationStatus(item: ItemState, loan?: LoanFacts, hold?: HoldFacts): CirculationStatusCode {
  if (item.status === "unregistered") return CIRCULATION_STATUS.other;
  const state = item.circulation.state;
  if (state === "lost") return CIRCULATION_STATUS.lost;
  if (state === "claimed_returned") return CIRCULATION_STATUS.claimedReturned;

  const onLoan = loan ? loan.onLoan : state === "on_loan";
  if (onLoan) return loan?.recallDate ? CIRCULATION_STATUS.recalled : CIRCULATION_STATUS.charged;
  if (state === "on_loan") return CIRCULATION_STATUS.waitingToBeReshelved;

  const waiting = hold ? hold.waitingOnShelf : state === "on_hold_shelf";
  if (waiting) return CIRCULATION_STATUS.waitingOnHoldShelf;
  if (state === "on_hold_shelf") return CIRCULATION_STATUS.waitingToBeReshelved;

  switch (state) {
    case "missing":
      return CIRCULATION_STATUS.missing;
    case "in_transit":
      return CIRCULATION_STATUS.inTransit;
    case "in_process":
      return CIRCULATION_STATUS.inProcess;
    case "available":
      return CIRCULATION_STATUS.available;
  }
}
