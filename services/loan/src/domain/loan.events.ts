import type { ItemState } from "./facts.js";
import type { FinePolicy, ResolvedRule } from "./loan-rules.js";

/**
 * Events of one item's loan stream (`loanStreamId`). Each carries what other
 * services and outside subscribers need without reading our tables: the patron
 * service counts charged/overdue items, the fee service assesses fines, the
 * hold service closes fulfilled holds, the item service tracks where the item is.
 *
 * Instants are ISO-8601 UTC strings. The envelope (event id, stream position,
 * occurred-at, correlation/causation ids) is added by the event store.
 * `offline` = the kiosk did this with `no block = Y`.
 */

/** One loan stream per item: items are identified by owning institution + barcode. */
export function loanStreamId(institutionId: string, itemBarcode: string): string {
  return `loan-${institutionId}-${itemBarcode}`;
}

interface OnItem {
  /** The item's owning institution (the stream's institution). */
  readonly institutionId: string;
  readonly itemBarcode: string;
  readonly terminalId: string;
}

export interface ItemCheckedOut extends OnItem {
  readonly type: "ItemCheckedOut";
  readonly patronId: string;
  readonly patronBarcode: string;
  readonly patronType: string;
  readonly itemType: string;
  readonly loanedAt: string;
  readonly dueAt: string;
  /** The terms of this loan, fine policy included; renewals use them too. */
  readonly rule: ResolvedRule;
  readonly offline: boolean;
  /** The due date is the kiosk's offline one (possibly moved off a closed day). */
  readonly kioskDueDate: boolean;
  /** The patron took an item trapped for them or item-level held by them: the hold service closes that hold. */
  readonly holdFulfilled: boolean;
}

export interface ItemCheckedIn extends OnItem {
  readonly type: "ItemCheckedIn";
  /** The patron who had the item. */
  readonly patronId: string;
  readonly patronBarcode: string;
  readonly loanedAt: string;
  readonly dueAt: string;
  /** When the item came back (the kiosk's return date when backdated). */
  readonly returnedAt: string;
  /** When we recorded it. */
  readonly checkedInAt: string;
  readonly renewals: number;
  readonly overdue: boolean;
  /** Local calendar days late (see `lateness`). */
  readonly overdueDays: number;
  /** Days late counting only open days. */
  readonly overdueOpenDays: number;
  /** The loan's fine terms; the fee service applies grace days, rate and cap. */
  readonly fine: FinePolicy;
  readonly offline: boolean;
  /** The terminal's location (SIP2 AP). */
  readonly location: string;
  /**
   * `checkin` = returned; `offline_checkout` = an offline kiosk lent the item
   * to someone else, so it must have come back first.
   */
  readonly closedBy: "checkin" | "offline_checkout";
}

export interface ItemCheckedInNotOnLoan extends OnItem {
  readonly type: "ItemCheckedInNotOnLoan";
  readonly checkedInAt: string;
  readonly returnedAt: string;
  /** The item service's state when it was scanned (a missing item turned up…). */
  readonly itemState: ItemState;
  readonly offline: boolean;
  readonly location: string;
}

export interface LoanRenewed extends OnItem {
  readonly type: "LoanRenewed";
  readonly patronId: string;
  readonly previousDueAt: string;
  readonly dueAt: string;
  /** Renewals so far, this one included. */
  readonly renewals: number;
  readonly renewedAt: string;
  readonly offline: boolean;
  /** Which message renewed it; only a checkout-renewal can be cancelled (BI=Y). */
  readonly via: "checkout" | "renew" | "renew_all";
}

/** A checkin with cancel = Y undid a new loan: as if it never happened. */
export interface CheckOutCancelled extends OnItem {
  readonly type: "CheckOutCancelled";
  readonly patronId: string;
  readonly patronBarcode: string;
  readonly loanedAt: string;
  readonly dueAt: string;
  readonly cancelledAt: string;
}

/** A checkin with cancel = Y undid a checkout that had renewed the loan. */
export interface RenewalCancelled extends OnItem {
  readonly type: "RenewalCancelled";
  readonly patronId: string;
  /** Due date and renewal count restored. */
  readonly dueAt: string;
  readonly renewals: number;
  /** The due date the cancelled renewal had set. */
  readonly cancelledDueAt: string;
  readonly cancelledAt: string;
}

/** A checkout with cancel = Y undid the last checkin: the loan is back, old due date and all. */
export interface CheckInCancelled extends OnItem {
  readonly type: "CheckInCancelled";
  readonly patronId: string;
  readonly patronBarcode: string;
  readonly loanedAt: string;
  readonly dueAt: string;
  readonly renewals: number;
  readonly rule: ResolvedRule;
  /** The loan was originally made offline. */
  readonly loanOffline: boolean;
  /** The return that was undone (the fee service voids a fine it assessed for it). */
  readonly cancelledReturnedAt: string;
  readonly cancelledAt: string;
}

/**
 * A loan that exists in a previous system, brought over by the data import:
 * the item is on loan with these dates and renewals, under the rule that
 * applies to it now. Not cancellable (it is not a kiosk transaction).
 */
export interface LoanImported extends OnItem {
  readonly type: "LoanImported";
  readonly patronId: string;
  readonly patronBarcode: string;
  readonly patronType: string;
  readonly itemType: string;
  readonly loanedAt: string;
  readonly dueAt: string;
  readonly renewals: number;
  readonly rule: ResolvedRule;
}

export type LoanEvent =
  | ItemCheckedOut
  | LoanImported
  | ItemCheckedIn
  | ItemCheckedInNotOnLoan
  | LoanRenewed
  | CheckOutCancelled
  | RenewalCancelled
  | CheckInCancelled;

export type LoanEventType = LoanEvent["type"];

// A record rather than an array, so that a new event type missing here fails to compile.
const EVENT_TYPES: Record<LoanEventType, true> = {
  ItemCheckedOut: true,
  LoanImported: true,
  ItemCheckedIn: true,
  ItemCheckedInNotOnLoan: true,
  LoanRenewed: true,
  CheckOutCancelled: true,
  RenewalCancelled: true,
  CheckInCancelled: true,
};

/** Every loan event type (for contracts, subscriptions and stream setup). */
export const LOAN_EVENT_TYPES = Object.keys(EVENT_TYPES) as readonly LoanEventType[];

/** The stream an event belongs to (renew all decides for many streams at once). */
export function streamOf(event: LoanEvent): string {
  return loanStreamId(event.institutionId, event.itemBarcode);
}
