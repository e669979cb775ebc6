import { type DomainEvent, type DomainEventOf, domainEvent, loan as contract } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { loanReturned } from "../checkin/checkin.decider.js";
import {
  dueAtFor,
  fulfilsHold,
  heldForOther,
  itemStateRefusal,
  renewalRefusal,
  standingRefusal,
  transactionTime,
} from "../domain/eligibility.js";
import type { FoundItem, FoundPatron, HoldFacts, InstitutionTime, ItemFacts, PatronFacts, TerminalFacts } from "../domain/facts.js";
import { loanTerms, type ResolvedRule } from "../domain/loan-rules.js";
import type { Loan, LoanState } from "../domain/loan.state.js";
import { renewal } from "../renew/renew.decider.js";

/** SIP2 11 Checkout. */
export interface CheckOutItem {
  readonly type: "CheckOutItem";
  /** SIP2 AO: used by the app to find the patron and the item. */
  readonly institutionId: string;
  readonly patronBarcode: string;
  readonly itemBarcode: string;
  /** BI = Y: this checkout cancels the item's last (failed) checkin. */
  readonly cancel: boolean;
  /** The kiosk's transaction date; trusted only offline (no block). */
  readonly transactionAt: Date | null;
  /** Id of the loan if this checkout makes one (the app makes it). */
  readonly loanId: string;
}

export interface CheckoutFacts {
  readonly patron: PatronFacts;
  readonly item: ItemFacts;
  readonly holds: HoldFacts;
  readonly terminal: TerminalFacts;
  /** `resolveRule(rules, { item's owning institution, patron type, item type })`. */
  readonly rule: ResolvedRule;
  /** ISO 4217 code of the rule's fine amounts. */
  readonly currency: string;
  readonly time: InstitutionTime;
}

export const CHECKOUT_REFUSAL_REASONS = [
  "patron_not_found",
  "pin_invalid",
  "pin_locked",
  "patron_blocked",
  "card_lost",
  "patron_expired",
  "loan_limit",
  "overdue_limit",
  "fines_over_limit",
  "item_not_found",
  "item_not_circulating",
  "item_on_loan_to_other",
  "already_on_loan_renewal_not_allowed",
  "item_missing",
  "item_lost",
  "item_in_transit",
  "item_claimed_returned",
  "item_in_process",
  "item_on_hold_for_other",
  "renewal_limit",
  "hold_pending",
  "nothing_to_cancel",
] as const satisfies readonly string[];
export type CheckOutRefusalReason = (typeof CHECKOUT_REFUSAL_REASONS)[number];

export interface CheckoutResult {
  /** What happened: a new loan, a renewal of the patron's own loan, or a checkin undone. */
  readonly kind: "checked_out" | "renewed" | "checkin_cancelled";
  /** SIP2 `renewal ok`: the patron already had the item, so this was a renewal. */
  readonly renewalOk: boolean;
  readonly patronId: string;
  readonly itemBarcode: string;
  readonly dueAt: string;
  readonly title: string;
  readonly mediaType: string;
  readonly magneticMedia: boolean | null;
  readonly holdFulfilled: boolean;
  readonly offline: boolean;
}

export type CheckoutDecision = Decision<DomainEvent<"loan">, CheckOutRefusalReason, CheckoutResult>;

/**
 * Rules, in order (the first that fails names the refusal):
 * 1. cancel = Y: undo the last checkin (see `cancelCheckin`);
 * 2. the patron and the item exist — even offline, there is nothing to apply otherwise;
 * 3. no block: apply it, whatever the rules would say (`applyOffline`);
 * 4. the PIN;
 * 5. the item is already on loan to this patron: a renewal if the terminal's
 *    renewal policy allows it, under the renewal rules — never a silent extension;
 * 6. the patron's standing; 7. the item (on loan to another, its state, not
 *    circulating); 8. holds for someone else; 9. the loan limit.
 */
export function decideCheckout(command: CheckOutItem, state: LoanState, facts: CheckoutFacts, now: Date): CheckoutDecision {
  const { patron, item, holds, terminal, rule } = facts;
  if (command.cancel) return cancelCheckin(state, facts, now);
  if (!patron.found) return refuse("patron_not_found");
  if (!item.found) return refuse("item_not_found");
  if (terminal.noBlock) return applyOffline(command, state, facts, patron, item, now);

  if (patron.pin === "wrong") return refuse("pin_invalid");
  if (patron.pin === "locked") return refuse("pin_locked");

  if (state.status === "on_loan" && state.loan.patronId === patron.patronId) {
    if (!terminal.renewalPolicyAllows) return refuse("already_on_loan_renewal_not_allowed");
    const reason = renewalRefusal(state.loan, patron, item, holds);
    if (reason !== null) return refuse(reason);
    return renewedByCheckout(state.loan, now, facts, item);
  }

  const standing = standingRefusal(patron.standing);
  if (standing !== null) return refuse(standing);

  if (state.status === "on_loan") return refuse("item_on_loan_to_other");
  // An item in transit to this patron's hold has reached them: the transit is moot.
  const inTransitToThisPatron = item.state === "in_transit" && holds.trappedFor === patron.patronId;
  const itemState = inTransitToThisPatron ? null : itemStateRefusal(item.state);
  if (itemState !== null) return refuse(itemState);
  if (item.nonCirculating || !rule.circulates) return refuse("item_not_circulating");

  if (heldForOther(holds, patron.patronId)) return refuse("item_on_hold_for_other");

  if (patron.standing.tooManyCharged || patron.chargedCount >= rule.maxItems) return refuse("loan_limit");

  return checkedOut([], checkOut(command, now, false, facts, patron, item), facts, item);
}

/**
 * No block: the kiosk was offline and the patron walked out with the item. We
 * record what happened rather than judge it: standing, PIN, limits, item state,
 * holds and "does not circulate" are all ignored. If our records still show
 * the item on loan to someone else, it must have come back unrecorded, so that
 * loan is closed first (returned when this checkout happened).
 */
function applyOffline(
  command: CheckOutItem,
  state: LoanState,
  facts: CheckoutFacts,
  patron: FoundPatron,
  item: FoundItem,
  now: Date,
): CheckoutDecision {
  const at = transactionTime(command.transactionAt, facts.terminal, now);
  if (state.status === "on_loan" && state.loan.patronId === patron.patronId) {
    return renewedByCheckout(state.loan, at, facts, item);
  }
  const back = { returnedAt: at, terminal: facts.terminal, location: "", closedByOfflineCheckout: true };
  const returned = state.status === "on_loan" ? [loanReturned(state.loan, back, facts.time, now)] : [];
  return checkedOut(returned, checkOut(command, at, true, facts, patron, item), facts, item);
}

function checkOut(command: CheckOutItem, at: Date, offline: boolean, facts: CheckoutFacts, patron: FoundPatron, item: FoundItem): DomainEventOf<"ItemCheckedOut"> {
  const { dueAt, fromKiosk } = dueAtFor(at, facts.rule.period, facts.terminal, facts.time);
  return domainEvent("ItemCheckedOut", {
    loanId: command.loanId,
    itemId: item.itemId,
    item: { institutionId: item.owningInstitutionId, barcode: item.barcode },
    title: item.title,
    titleId: item.titleId,
    patronId: patron.patronId,
    patron: { institutionId: patron.institutionId, barcode: patron.barcode },
    checkedOutAt: at,
    dueAt,
    terminalAccount: facts.terminal.terminalId,
    location: facts.terminal.location,
    channel: contract.LoanChannel.TERMINAL,
    dueDateFromTerminal: fromKiosk,
    patronType: patron.patronType,
    itemType: item.itemType,
    terms: loanTerms(facts.rule, facts.currency),
    offline,
    holdFulfilled: fulfilsHold(facts.holds, patron.patronId),
  });
}

function checkedOut(before: readonly DomainEvent<"loan">[], out: DomainEventOf<"ItemCheckedOut">, facts: CheckoutFacts, item: FoundItem): CheckoutDecision {
  return accept<DomainEvent<"loan">, CheckoutResult>([...before, out], {
    kind: "checked_out",
    renewalOk: false,
    patronId: out.data.patronId,
    itemBarcode: item.barcode,
    dueAt: out.data.dueAt!.toISOString(),
    ...itemData(item),
    holdFulfilled: out.data.holdFulfilled,
    offline: facts.terminal.noBlock,
  });
}

function renewedByCheckout(loan: Loan, at: Date, facts: CheckoutFacts, item: FoundItem): CheckoutDecision {
  const event = renewal(loan, at, "checkout", facts.terminal, facts.time);
  return accept<DomainEvent<"loan">, CheckoutResult>([event], {
    kind: "renewed",
    renewalOk: true,
    patronId: loan.patronId,
    itemBarcode: loan.item.barcode,
    dueAt: event.data.dueAt!.toISOString(),
    ...itemData(item),
    holdFulfilled: false,
    offline: event.data.offline,
  });
}

/**
 * Checkout with cancel = Y reverses the item's last checkin — the kiosk could
 * not finish it (resensitizing failed, say) — restoring the loan as it was,
 * old due date included. Only the very last transaction can be reversed. The
 * patron field is not required to match (a kiosk in a return session may not
 * know the borrower), but a known patron who is not the borrower cannot
 * restore someone else's loan.
 */
function cancelCheckin(state: LoanState, facts: CheckoutFacts, now: Date): CheckoutDecision {
  const { item, patron } = facts;
  if (!item.found) return refuse("item_not_found");
  if (state.status !== "none" || state.cancellable === null) {
    return refuse("nothing_to_cancel", "the last transaction was not a checkin");
  }
  const last = state.cancellable;
  const loan = last.closedLoan;
  if (patron.found && patron.patronId !== loan.patronId) {
    return refuse("nothing_to_cancel", "the last checkin closed another patron's loan");
  }
  const event = domainEvent("CheckinCancelled", {
    loanId: loan.loanId,
    itemId: loan.itemId,
    item: loan.item,
    title: loan.title,
    titleId: loan.titleId,
    patronId: loan.patronId,
    patron: loan.patron,
    checkedOutAt: loan.loanedAt,
    dueAt: loan.dueAt,
    renewalCount: loan.renewals,
    terms: loan.terms,
    loanOffline: loan.offline,
    cancelledReturnedAt: last.returnedAt,
    cancelledAt: now,
    terminalAccount: facts.terminal.terminalId,
  });
  return accept<DomainEvent<"loan">, CheckoutResult>([event], {
    kind: "checkin_cancelled",
    renewalOk: false,
    patronId: loan.patronId,
    itemBarcode: loan.item.barcode,
    dueAt: loan.dueAt.toISOString(),
    ...itemData(item),
    holdFulfilled: false,
    offline: false,
  });
}

function itemData(item: FoundItem): Pick<CheckoutResult, "title" | "mediaType" | "magneticMedia"> {
  return { title: item.title, mediaType: item.mediaType, magneticMedia: item.magneticMedia };
}
