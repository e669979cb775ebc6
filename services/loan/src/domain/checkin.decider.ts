import { accept, type Decision, refuse } from "@circulate/domain";
import { lateness } from "./calendar.js";
import { transactionTime } from "./eligibility.js";
import type { FoundItem, InstitutionTime, ItemFacts, TerminalFacts } from "./facts.js";
import type { LoanEvent } from "./loan.events.js";
import type { LoanState } from "./loan.state.js";

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

export type CheckinDecision = Decision<LoanEvent, CheckInRefusalReason, CheckinResult>;

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
  const base = {
    institutionId: item.owningInstitutionId,
    itemBarcode: item.barcode,
    terminalId: terminal.terminalId,
    checkedInAt: now.toISOString(),
    returnedAt: returnedAt.toISOString(),
    offline: terminal.noBlock,
    location: command.location,
  };
  if (state.status !== "on_loan") {
    return accept<LoanEvent, CheckinResult>([{ type: "ItemCheckedInNotOnLoan", ...base, itemState: item.state }], {
      ...result(item, terminal, "not_on_loan", alerts),
      patronId: null,
      patronBarcode: null,
      dueAt: null,
      overdue: false,
    });
  }
  const { loan } = state;
  const late = lateness(new Date(loan.dueAt), returnedAt, time.calendar, time.timeZone);
  return accept<LoanEvent, CheckinResult>(
    [
      {
        type: "ItemCheckedIn",
        ...base,
        institutionId: loan.institutionId,
        patronId: loan.patronId,
        patronBarcode: loan.patronBarcode,
        loanedAt: loan.loanedAt,
        dueAt: loan.dueAt,
        renewals: loan.renewals,
        overdue: late.days > 0,
        overdueDays: late.days,
        overdueOpenDays: late.openDays,
        fine: loan.rule.fine,
        closedBy: "checkin",
      },
    ],
    {
      ...result(item, terminal, "returned", alerts),
      patronId: loan.patronId,
      patronBarcode: loan.patronBarcode,
      dueAt: loan.dueAt,
      overdue: late.days > 0,
    },
  );
}

/**
 * The return date the kiosk gave (backdating, e.g. book-drop time), else the
 * offline transaction date, else now. Never in the future, and never before
 * the loan began: a kiosk clock can be wrong, a loan cannot end before it starts.
 */
function returnTime(command: CheckInItem, state: LoanState, terminal: TerminalFacts, now: Date): Date {
  const claimed = command.returnedAt ?? transactionTime(command.transactionAt, terminal, now);
  let t = Math.min(claimed.getTime(), now.getTime());
  if (state.status === "on_loan") t = Math.max(t, new Date(state.loan.loanedAt).getTime());
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
  const common = {
    institutionId: loan.institutionId,
    itemBarcode: loan.itemBarcode,
    terminalId: terminal.terminalId,
    patronId: loan.patronId,
    cancelledAt: now.toISOString(),
  };
  const data = { ...result(item, terminal, "checkout_cancelled", []), patronId: loan.patronId, patronBarcode: loan.patronBarcode, overdue: false };
  if (cancellable.kind === "checkout") {
    return accept<LoanEvent, CheckinResult>(
      [{ type: "CheckOutCancelled", ...common, patronBarcode: loan.patronBarcode, loanedAt: loan.loanedAt, dueAt: loan.dueAt }],
      { ...data, dueAt: null },
    );
  }
  return accept<LoanEvent, CheckinResult>(
    [
      {
        type: "RenewalCancelled",
        ...common,
        dueAt: cancellable.previousDueAt,
        renewals: cancellable.previousRenewals,
        cancelledDueAt: loan.dueAt,
      },
    ],
    { ...data, kind: "renewal_cancelled", dueAt: cancellable.previousDueAt },
  );
}
