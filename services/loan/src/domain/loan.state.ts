import { type common, type DomainEvent, loan } from "@circulate/contracts";
import { renewalsLeft } from "./loan-rules.js";

/**
 * One loan stream per item: items are identified by owning institution +
 * barcode. It holds the loan service's events, `DomainEvent<"loan">`: the
 * messages of `library.loan.v1` as they are published, each carrying what
 * other services need without reading our tables (the patron service counts
 * charged and overdue items, the fee service assesses fines, the hold service
 * closes fulfilled holds, the item service tracks where the item is).
 */
export function loanStreamId(institutionId: string, itemBarcode: string): string {
  return `loan-${institutionId}-${itemBarcode}`;
}

/** The stream an event belongs to (renew all decides for many streams at once). */
export function streamOf(event: DomainEvent<"loan">): string {
  const item = "item" in event.data ? event.data.item : undefined;
  return loanStreamId(item?.institutionId ?? "", item?.barcode ?? "");
}

/** An item's current loan, as the events that made and changed it say. */
export interface Loan {
  readonly loanId: string;
  readonly itemId: string;
  /** The item's owning institution (the stream's) and barcode. */
  readonly item: common.ItemRef;
  readonly title: string;
  readonly titleId: string;
  readonly patronId: string;
  /** The borrower's card: its institution is their fee account's. */
  readonly patron: common.PatronRef;
  readonly loanedAt: Date;
  readonly dueAt: Date;
  readonly renewals: number;
  /** The terms the loan was made on; renewals and fines use them. */
  readonly terms: loan.LoanTerms | undefined;
  /** Made by an offline kiosk (no block). */
  readonly offline: boolean;
  /** Terminal account that lent it; empty for an import. */
  readonly terminalAccount: string;
}

/**
 * The last transaction, kept while a cancel (`BI = Y`) may still reverse it.
 * Only the very last transaction can be cancelled, and only once: anything
 * after it (another checkout, renewal, checkin, or a cancel) clears it.
 */
export type CancellableCheckout = { readonly kind: "checkout" };
export type CancellableCheckoutRenewal = {
  readonly kind: "checkout_renewal";
  readonly previousDueAt: Date;
  readonly previousRenewals: number;
};
export type CancellableCheckin = {
  readonly kind: "checkin";
  /** The loan the checkin closed, restored as it was if the checkin is cancelled. */
  readonly closedLoan: Loan;
  readonly returnedAt: Date;
};

export interface NotOnLoan {
  readonly status: "none";
  readonly cancellable: CancellableCheckin | null;
}

export interface OnLoan {
  readonly status: "on_loan";
  readonly loan: Loan;
  readonly cancellable: CancellableCheckout | CancellableCheckoutRenewal | null;
}

export type LoanState = NotOnLoan | OnLoan;

export function initialState(): LoanState {
  return { status: "none", cancellable: null };
}

const NOTHING: NotOnLoan = { status: "none", cancellable: null };
const NO_ITEM: common.ItemRef = { institutionId: "", barcode: "" };
const NO_PATRON: common.PatronRef = { institutionId: "", barcode: "" };
// Every event this service records has its instants; an absent one reads as the epoch rather than breaking a replay.
const at = (date: Date | undefined): Date => date ?? new Date(0);

type LoanOpening = Pick<
  loan.ItemCheckedOut,
  "loanId" | "itemId" | "item" | "patronId" | "patron" | "title" | "titleId" | "checkedOutAt" | "dueAt" | "terms"
>;

/** What the events that put an item on loan (checkout, import, a cancelled checkin) all say about it. */
function opened(e: LoanOpening): Omit<Loan, "renewals" | "offline" | "terminalAccount"> {
  return {
    loanId: e.loanId,
    itemId: e.itemId,
    item: e.item ?? NO_ITEM,
    title: e.title,
    titleId: e.titleId,
    patronId: e.patronId,
    patron: e.patron ?? NO_PATRON,
    loanedAt: at(e.checkedOutAt),
    dueAt: at(e.dueAt),
    terms: e.terms,
  };
}

/**
 * Applies one event. It trusts the stream: events exist only because a decider
 * made them from the state before, so an event that does not fit the state
 * (a renewal with no loan) leaves the state as it is rather than throwing on replay.
 */
export function evolve(state: LoanState, event: DomainEvent<"loan">): LoanState {
  switch (event.type) {
    case "ItemCheckedOut": {
      const e = event.data;
      return {
        status: "on_loan",
        loan: { ...opened(e), renewals: 0, offline: e.offline, terminalAccount: e.terminalAccount },
        cancellable: { kind: "checkout" },
      };
    }
    case "LoanImported":
      return { status: "on_loan", loan: { ...opened(event.data), renewals: event.data.renewalCount, offline: false, terminalAccount: "" }, cancellable: null };
    case "LoanRenewed": {
      if (state.status !== "on_loan") return state;
      const e = event.data;
      return {
        status: "on_loan",
        loan: { ...state.loan, dueAt: at(e.dueAt), renewals: e.renewalCount },
        cancellable: e.viaCheckout ? { kind: "checkout_renewal", previousDueAt: state.loan.dueAt, previousRenewals: state.loan.renewals } : null,
      };
    }
    case "ItemCheckedIn":
      // No loan id: the item was not on loan when it was scanned.
      if (event.data.loanId === "" || state.status !== "on_loan") return NOTHING;
      return { status: "none", cancellable: { kind: "checkin", closedLoan: state.loan, returnedAt: at(event.data.returnedAt) } };
    case "CheckoutCancelled":
      return NOTHING;
    case "RenewalCancelled":
      if (state.status !== "on_loan") return state;
      return { status: "on_loan", loan: { ...state.loan, dueAt: at(event.data.dueAt), renewals: event.data.renewals }, cancellable: null };
    case "CheckinCancelled": {
      const e = event.data;
      // The event names the terminal that cancelled; the restored loan keeps the one that lent it.
      const closed = state.status === "none" && state.cancellable ? state.cancellable.closedLoan : null;
      return {
        status: "on_loan",
        loan: { ...opened(e), renewals: e.renewalCount, offline: e.loanOffline, terminalAccount: closed?.terminalAccount ?? e.terminalAccount },
        cancellable: null,
      };
    }
    case "LoanRecalled":
      // Not recorded by this service (recalls are not supported).
      return state;
  }
}

/**
 * The item's loan in the contract's terms (undefined: not on loan), as every
 * event carries it after itself (`current`) and the `loans` row repeats it.
 * `overdue` is left false: it depends on when it is read.
 */
export function currentLoan(state: LoanState): loan.Loan | undefined {
  if (state.status !== "on_loan") return undefined;
  const l = state.loan;
  return loan.Loan.fromPartial({
    loanId: l.loanId,
    itemId: l.itemId,
    item: l.item,
    patronId: l.patronId,
    patron: l.patron,
    title: l.title,
    titleId: l.titleId,
    checkedOutAt: l.loanedAt,
    dueAt: l.dueAt,
    renewalCount: l.renewals,
    offline: l.offline,
    terminalAccount: l.terminalAccount,
    renewalsRemaining: renewalsLeft(l.terms, l.renewals),
  });
}
