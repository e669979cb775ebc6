import { type DomainEvent, type DomainEventOf, domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { dueAtFor, type RenewalRefusalReason, renewalRefusal, transactionTime } from "../domain/eligibility.js";
import type { HoldFacts, InstitutionTime, ItemFacts, PatronFacts, TerminalFacts } from "../domain/facts.js";
import { periodOf } from "../domain/loan-rules.js";
import type { Loan, LoanState } from "../domain/loan.state.js";

/** SIP2 29 Renew, for one item the patron has on loan. */
export interface RenewLoan {
  readonly type: "RenewLoan";
  /** SIP2 AO: used by the app to find the patron and the item. */
  readonly institutionId: string;
  readonly patronBarcode: string;
  readonly itemBarcode: string;
  /** The kiosk's transaction date; trusted only offline (no block). */
  readonly transactionAt: Date | null;
}

export interface RenewFacts {
  readonly patron: PatronFacts;
  readonly item: ItemFacts;
  readonly holds: HoldFacts;
  readonly terminal: TerminalFacts;
  readonly time: InstitutionTime;
}

export const RENEW_REFUSAL_REASONS = [
  "patron_not_found",
  "pin_invalid",
  "pin_locked",
  "item_not_found",
  "renewal_not_allowed",
  "item_not_on_loan",
  "item_on_loan_to_other",
  "patron_blocked",
  "card_lost",
  "patron_expired",
  "overdue_limit",
  "fines_over_limit",
  "item_missing",
  "item_lost",
  "item_claimed_returned",
  "renewal_limit",
  "hold_pending",
] as const satisfies readonly string[];
export type RenewRefusalReason = (typeof RENEW_REFUSAL_REASONS)[number];

export interface RenewResult {
  readonly patronId: string;
  readonly itemBarcode: string;
  readonly dueAt: string;
  readonly renewals: number;
  readonly title: string;
  readonly mediaType: string;
  readonly magneticMedia: boolean | null;
  readonly offline: boolean;
}

export type RenewDecision = Decision<DomainEvent<"loan">, RenewRefusalReason, RenewResult>;

/** Which message renewed a loan; only a checkout's renewal can be cancelled (BI = Y). */
export type RenewedVia = "checkout" | "renew" | "renew_all";

/**
 * Extends a loan. The new due date counts from the renewal (not from the old
 * due date, so an early renewal gains nothing and a late one does not start
 * overdue), but never ends before the current due date: a renewal never
 * shortens a loan.
 */
export function renewal(loan: Loan, at: Date, via: RenewedVia, terminal: TerminalFacts, time: InstitutionTime): DomainEventOf<"LoanRenewed"> {
  const { dueAt } = dueAtFor(at, periodOf(loan.terms), terminal, time);
  return domainEvent("LoanRenewed", {
    loanId: loan.loanId,
    itemId: loan.itemId,
    item: loan.item,
    patronId: loan.patronId,
    previousDueAt: loan.dueAt,
    dueAt: dueAt.getTime() > loan.dueAt.getTime() ? dueAt : loan.dueAt,
    renewalCount: loan.renewals + 1,
    renewedAt: at,
    terminalAccount: terminal.terminalId,
    offline: terminal.noBlock,
    viaCheckout: via === "checkout",
    viaRenewAll: via === "renew_all",
  });
}

/**
 * Rules, in order: the patron and item must exist (even offline: there is
 * nothing to renew otherwise), offline renewals of the patron's own loan are
 * applied as they are, then the PIN, the terminal's renewal policy, the loan
 * must be this patron's, and `renewalRefusal` (privileges, item state, limit,
 * holds). `via` lets Renew All reuse this decider.
 */
export function decideRenew(
  command: RenewLoan,
  state: LoanState,
  facts: RenewFacts,
  now: Date,
  via: "renew" | "renew_all" = "renew",
): RenewDecision {
  const { patron, item, holds, terminal, time } = facts;
  if (!patron.found) return refuse("patron_not_found");
  if (!item.found) return refuse("item_not_found");
  if (terminal.noBlock) {
    // Nothing to apply when the item is not this patron's loan, offline or not.
    if (state.status !== "on_loan") return refuse("item_not_on_loan");
    if (state.loan.patronId !== patron.patronId) return refuse("item_on_loan_to_other");
    return renewed(renewal(state.loan, transactionTime(command.transactionAt, terminal, now), via, terminal, time), item);
  }
  if (patron.pin === "wrong") return refuse("pin_invalid");
  if (patron.pin === "locked") return refuse("pin_locked");
  if (!terminal.renewalPolicyAllows) return refuse("renewal_not_allowed");
  if (state.status !== "on_loan") return refuse("item_not_on_loan");
  if (state.loan.patronId !== patron.patronId) return refuse("item_on_loan_to_other");
  const reason: RenewalRefusalReason | null = renewalRefusal(state.loan, patron, item, holds);
  if (reason !== null) return refuse(reason);
  return renewed(renewal(state.loan, now, via, terminal, time), item);
}

function renewed(event: DomainEventOf<"LoanRenewed">, item: { title: string; mediaType: string; magneticMedia: boolean | null }): RenewDecision {
  const e = event.data;
  return accept<DomainEvent<"loan">, RenewResult>([event], {
    patronId: e.patronId,
    itemBarcode: e.item!.barcode,
    dueAt: e.dueAt!.toISOString(),
    renewals: e.renewalCount,
    title: item.title,
    mediaType: item.mediaType,
    magneticMedia: item.magneticMedia,
    offline: e.offline,
  });
}
