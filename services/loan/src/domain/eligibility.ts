import { dueDate, type LoanPeriod, onOpenDay } from "./calendar.js";
import type { FoundItem, FoundPatron, HoldFacts, InstitutionTime, ItemState, PatronStanding, TerminalFacts } from "./facts.js";
import { renewalLimitOf } from "./loan-rules.js";
import type { Loan } from "./loan.state.js";

/**
 * Checks shared by the deciders. Each returns the refusal reason or null, so a
 * decider reads as an ordered list of rules and the first one that fails names
 * the reason.
 */

export type StandingRefusalReason = "patron_blocked" | "card_lost" | "patron_expired" | "overdue_limit" | "fines_over_limit";

/**
 * Privileges lost through the patron's standing, for checkout and renewal
 * alike. "Too many charged" is not here: it does not stop a renewal (which adds
 * no item), and for checkout it is checked last, together with the rule's max items.
 */
export function standingRefusal(standing: PatronStanding): StandingRefusalReason | null {
  if (standing.blocked) return "patron_blocked";
  if (standing.cardLost) return "card_lost";
  if (standing.expired) return "patron_expired";
  if (standing.tooManyOverdue) return "overdue_limit";
  if (standing.excessiveFines) return "fines_over_limit";
  return null;
}

const ITEM_STATE_REFUSALS = {
  available: null,
  missing: "item_missing",
  lost: "item_lost",
  in_transit: "item_in_transit",
  claimed_returned: "item_claimed_returned",
  in_process: "item_in_process",
} as const satisfies Record<ItemState, string | null>;

export type ItemStateRefusalReason = NonNullable<(typeof ITEM_STATE_REFUSALS)[ItemState]>;

/** An item that is not on the shelf in the ordinary way cannot be lent. */
export function itemStateRefusal(state: ItemState): ItemStateRefusalReason | null {
  return ITEM_STATE_REFUSALS[state];
}

/** The item is waiting for, or reserved as this very copy by, someone else. */
export function heldForOther(holds: HoldFacts, patronId: string): boolean {
  if (holds.trappedFor !== null && holds.trappedFor !== patronId) return true;
  return holds.itemLevelHoldPatrons.some((p) => p !== patronId);
}

/** Checking this copy out satisfies one of the patron's holds: the hold service closes it. */
export function fulfilsHold(holds: HoldFacts, patronId: string): boolean {
  return holds.trappedFor === patronId || holds.itemLevelHoldPatrons.includes(patronId);
}

export type RenewalRefusalReason =
  | StandingRefusalReason
  | "item_missing"
  | "item_lost"
  | "item_claimed_returned"
  | "renewal_limit"
  | "hold_pending";

/**
 * Why this loan may not be renewed now, in order: the patron's renewal
 * privileges, an item that is no longer really on loan (reported lost, missing
 * or claimed returned), the renewal limit of the loan's own rule, and anyone
 * else waiting for the item.
 */
export function renewalRefusal(loan: Loan, patron: FoundPatron, item: FoundItem, holds: HoldFacts): RenewalRefusalReason | null {
  const standing = standingRefusal(patron.standing);
  if (standing !== null) return standing;
  if (item.state === "lost" || item.state === "missing" || item.state === "claimed_returned") {
    return ITEM_STATE_REFUSALS[item.state];
  }
  if (loan.renewals >= renewalLimitOf(loan.terms)) return "renewal_limit";
  if (heldForOther(holds, patron.patronId) || holds.someoneElseWaiting) return "hold_pending";
  return null;
}

/**
 * When the transaction happened. Online we trust our clock, not the kiosk's;
 * offline (no block) the kiosk's transaction date is when the patron really
 * had the item, as long as it is not in the future.
 */
export function transactionTime(transactionAt: Date | null, terminal: TerminalFacts, now: Date): Date {
  if (terminal.noBlock && transactionAt !== null && transactionAt.getTime() <= now.getTime()) return transactionAt;
  return now;
}

/**
 * The due date of a loan or renewal starting at `from`: the kiosk's offline
 * due date when it gave one, else the loan period. The kiosk's date is kept
 * even when it is not after `from` (many kiosks stamp the transaction date when
 * they forward their queue, not when the patron left): the patron's receipt
 * says that date, and a no-block transaction records what happened. One on a
 * closed day moves to the next open day like any due date.
 */
export function dueAtFor(from: Date, period: LoanPeriod, terminal: TerminalFacts, time: InstitutionTime): { dueAt: Date; fromKiosk: boolean } {
  const kiosk = terminal.noBlock ? terminal.kioskDueDate : null;
  if (kiosk !== null) {
    return { dueAt: onOpenDay(kiosk, time.calendar, time.timeZone), fromKiosk: true };
  }
  return { dueAt: dueDate(from, period, time.calendar, time.timeZone), fromKiosk: false };
}
