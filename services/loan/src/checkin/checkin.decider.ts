import { type DomainEvent, type DomainEventOf, domainEvent, loan as contract } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { lateness } from "../domain/calendar.js";
import { transactionTime } from "../domain/eligibility.js";
import type { FoundItem, InstitutionTime, ItemFacts, TerminalFacts } from "../domain/facts.js";
import type { Loan, LoanState } from "../domain/loan.state.js";

/** SIP2 09 Checkin. */
export interface CheckInItem {
  readonly type: "CheckInItem";
  /** SIP2 AO: the institution where the item was returned. */
  readonly institutionId: string;
  readonly itemBarcode: string;
  /** BI = Y: this checkin cancels the item's last (failed) checkout. */
  readonly cancel: boolean;
  /** SIP2 return date: when the item really came back (book drop), possibly earlier than now. */
  readonly returnedAt: Date | null;
  /** The kiosk's transaction date; trusted only offline (no block). */
  readonly transactionAt: Date | null;
  /** SIP2 AP current location; empty when the kiosk does not send it. */
  readonly location: string;
}

export interface CheckinFacts {
  readonly item: ItemFacts;
  readonly terminal: TerminalFacts;
  readonly time: InstitutionTime;
}

export const CHECKIN_REFUSAL_REASONS = ["item_not_found", "nothing_to_cancel"] as const satisfies readonly string[];
export type CheckInRefusalReason = (typeof CHECKIN_REFUSAL_REASONS)[number];

/**
 * Why the kiosk should beep (SIP2 alert = Y). Hold alerts are not here: trapping
 * at checkin is the hold service's decision, asked by the app.
 */
export const CHECKIN_ALERTS = [
  "not_on_loan",
  "lost_item_returned",
  "missing_item_returned",
  "claimed_returned_item_returned",
  "returned_to_other_institution",
] as const;
export type CheckinAlert = (typeof CHECKIN_ALERTS)[number];

export interface CheckinResult {
  readonly kind: "returned" | "not_on_loan" | "checkout_cancelled" | "renewal_cancelled";
  /** The patron who had the item (SIP2 AA in the response); null when it was not on loan. */
  readonly patronId: string | null;
  readonly patronBarcode: string | null;
  /** The loan's due date (the restored one after a cancelled renewal). */
  readonly dueAt: string | null;
  readonly overdue: boolean;
  readonly alerts: readonly CheckinAlert[];
  readonly title: string;
  readonly mediaType: string;
  readonly magneticMedia: boolean | null;
  readonly permanentLocation: string;
  readonly offline: boolean;
}

export type CheckinDecision = Decision<DomainEvent<"loan">, CheckInRefusalReason, CheckinResult>;

/** How a loan came back: at a kiosk, or implied by an offline kiosk lending the item to someone else. */
export interface Return {
  readonly returnedAt: Date;
  readonly terminal: TerminalFacts;
  /** Where it came back; empty when not known. */
  readonly location: string;
  readonly closedByOfflineCheckout: boolean;
}

/**
 * The event that closes a loan, with its lateness against the return date (local
 * days in the lending institution's zone, and open days) and the loan's fine
 * policy, from which the fee service assesses the fine.
 */
export function loanReturned(loan: Loan, back: Return, time: InstitutionTime, now: Date): DomainEventOf<"ItemCheckedIn"> {
  const late = lateness(loan.dueAt, back.returnedAt, time.calendar, time.timeZone);
  return domainEvent("ItemCheckedIn", {
    loanId: loan.loanId,
    itemId: loan.itemId,
    item: loan.item,
    institutionId: loan.item.institutionId,
    title: loan.title,
    titleId: loan.titleId,
    patronId: loan.patronId,
    patron: loan.patron,
    checkedOutAt: loan.loanedAt,
    dueAt: loan.dueAt,
    renewalCount: loan.renewals,
    returnedAt: back.returnedAt,
    checkedInAt: now,
    terminalAccount: back.terminal.terminalId,
    location: back.location,
    channel: contract.LoanChannel.TERMINAL,
    overdueDays: late.days,
    overdueOpenDays: late.openDays,
    finePolicy: loan.terms?.finePolicy,
    offline: back.terminal.noBlock,
    closedByOfflineCheckout: back.closedByOfflineCheckout,
    timeZone: time.timeZone,
  });
}

/**
 * Rules: the item must exist (even offline: we cannot record the return of an
 * item we do not know); cancel = Y reverses the last checkout; otherwise a loan
 * is closed with its lateness computed against the return date, and an item
 * that was not on loan is still checked in — it succeeds with an alert and an
 * event, because the item service wants to know that a missing item turned up.
 * A checkin is never refused on rules, so no block changes only the `offline`
 * mark and which clock we trust.
 */
export function decideCheckin(command: CheckInItem, state: LoanState, facts: CheckinFacts, now: Date): CheckinDecision {
  const { item, terminal, time } = facts;
  if (!item.found) return refuse("item_not_found");
  if (command.cancel) return cancelCheckout(state, item, terminal, now);

  const returnedAt = returnTime(command, state, terminal, now);
  const alerts = alertsFor(command, item, state);
  if (state.status !== "on_loan") {
    // Recorded all the same: the item service learns that a missing item turned up.
    const scanned = domainEvent("ItemCheckedIn", {
      itemId: item.itemId,
      item: { institutionId: item.owningInstitutionId, barcode: item.barcode },
      institutionId: item.owningInstitutionId,
      title: item.title,
      titleId: item.titleId,
      returnedAt,
      checkedInAt: now,
      terminalAccount: terminal.terminalId,
      location: command.location,
      channel: contract.LoanChannel.TERMINAL,
      offline: terminal.noBlock,
      timeZone: time.timeZone,
    });
    return accept<DomainEvent<"loan">, CheckinResult>([scanned], {
      ...result(item, terminal, "not_on_loan", alerts),
      patronId: null,
      patronBarcode: null,
      dueAt: null,
      overdue: false,
    });
  }
  const { loan } = state;
  const event = loanReturned(loan, { returnedAt, terminal, location: command.location, closedByOfflineCheckout: false }, time, now);
  return accept<DomainEvent<"loan">, CheckinResult>([event], {
    ...result(item, terminal, "returned", alerts),
    patronId: loan.patronId,
    patronBarcode: loan.patron.barcode,
    dueAt: loan.dueAt.toISOString(),
    overdue: event.data.overdueDays > 0,
  });
}

/**
 * The return date the kiosk gave (backdating, e.g. book-drop time), else the
 * offline transaction date, else now. Never in the future, and never before
 * the loan began: a kiosk clock can be wrong, a loan cannot end before it starts.
 */
function returnTime(command: CheckInItem, state: LoanState, terminal: TerminalFacts, now: Date): Date {
  const claimed = command.returnedAt ?? transactionTime(command.transactionAt, terminal, now);
  let t = Math.min(claimed.getTime(), now.getTime());
  if (state.status === "on_loan") t = Math.max(t, state.loan.loanedAt.getTime());
  return new Date(t);
}

function alertsFor(command: CheckInItem, item: FoundItem, state: LoanState): CheckinAlert[] {
  const alerts: CheckinAlert[] = [];
  if (state.status !== "on_loan") alerts.push("not_on_loan");
  if (item.state === "lost") alerts.push("lost_item_returned");
  if (item.state === "missing") alerts.push("missing_item_returned");
  if (item.state === "claimed_returned") alerts.push("claimed_returned_item_returned");
  if (item.owningInstitutionId !== command.institutionId) alerts.push("returned_to_other_institution");
  return alerts;
}

function result(
  item: FoundItem,
  terminal: TerminalFacts,
  kind: CheckinResult["kind"],
  alerts: readonly CheckinAlert[],
): Pick<CheckinResult, "kind" | "alerts" | "title" | "mediaType" | "magneticMedia" | "permanentLocation" | "offline"> {
  return {
    kind,
    alerts,
    title: item.title,
    mediaType: item.mediaType,
    magneticMedia: item.magneticMedia,
    permanentLocation: item.permanentLocation,
    offline: terminal.noBlock,
  };
}

/**
 * Checkin with cancel = Y reverses the item's last checkout — the kiosk could
 * not finish it (desensitizing failed, say). A new loan is removed as if it
 * never happened; a checkout that renewed the patron's loan gets its old due
 * date and renewal count back. Anything else (a renewal by 29/65, a checkin, a
 * cancel) is not a checkout to reverse.
 */
function cancelCheckout(state: LoanState, item: FoundItem, terminal: TerminalFacts, now: Date): CheckinDecision {
  if (state.status !== "on_loan" || state.cancellable === null) {
    return refuse("nothing_to_cancel", "the last transaction was not a checkout");
  }
  const { loan, cancellable } = state;
  const data = { ...result(item, terminal, "checkout_cancelled", []), patronId: loan.patronId, patronBarcode: loan.patron.barcode, overdue: false };
  const about = { loanId: loan.loanId, itemId: loan.itemId, item: loan.item, patronId: loan.patronId, terminalAccount: terminal.terminalId, cancelledAt: now };
  if (cancellable.kind === "checkout") {
    const event = domainEvent("CheckoutCancelled", { ...about, patron: loan.patron, checkedOutAt: loan.loanedAt, dueAt: loan.dueAt });
    return accept<DomainEvent<"loan">, CheckinResult>([event], { ...data, dueAt: null });
  }
  const event = domainEvent("RenewalCancelled", {
    ...about,
    dueAt: cancellable.previousDueAt,
    renewals: cancellable.previousRenewals,
    cancelledDueAt: loan.dueAt,
  });
  return accept<DomainEvent<"loan">, CheckinResult>([event], { ...data, kind: "renewal_cancelled", dueAt: cancellable.previousDueAt.toISOString() });
}
