import type { AnyEvent } from "./events.js";
import type { Loan } from "./gen/library/loan/v1/loan.js";

/**
 * The loan service's events, each about one item's loan stream, each carrying
 * `current`: the item's loan after it (unset: not on loan).
 */
export const LOAN_EVENT_TYPES = [
  "ItemCheckedOut",
  "LoanImported",
  "CheckinCancelled",
  "LoanRenewed",
  "RenewalCancelled",
  "LoanRecalled",
  "ItemCheckedIn",
  "CheckoutCancelled",
] as const;

export type LoanEventType = (typeof LOAN_EVENT_TYPES)[number];
export type AnyLoanEvent = Extract<AnyEvent, { type: LoanEventType }>;

/** Types after which the item is always on loan: one without `current` was stored before events carried it. */
const LEAVES_ON_LOAN = new Set<string>(["ItemCheckedOut", "LoanImported", "CheckinCancelled", "LoanRenewed", "RenewalCancelled", "LoanRecalled"]);
const LOAN_EVENTS = new Set<string>(LOAN_EVENT_TYPES);

export function isLoanEvent(event: AnyEvent): event is AnyLoanEvent {
  return LOAN_EVENTS.has(event.type);
}

/**
 * The item's loan after a loan event, as a copy keeps it: the loan, `null` for
 * none, or `"stored before current"` for an event written before events
 * carried it (its own fields are then all there is to go by).
 */
export function loanAfter(event: AnyLoanEvent): Loan | null | "stored before current" {
  if (event.event.current) return event.event.current;
  return LEAVES_ON_LOAN.has(event.type) ? "stored before current" : null;
}
