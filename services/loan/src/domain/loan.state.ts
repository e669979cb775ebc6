import type { LoanEvent } from "./loan.events.js";
import type { ResolvedRule } from "./loan-rules.js";

/** An item's current loan. Instants are ISO-8601 UTC strings, as in the events. */
export interface Loan {
  readonly institutionId: string;
  readonly itemBarcode: string;
  readonly patronId: string;
  readonly patronBarcode: string;
  readonly loanedAt: string;
  readonly dueAt: string;
  readonly renewals: number;
  /** The terms the loan was made on. */
  readonly rule: ResolvedRule;
  /** Made by an offline kiosk (no block). */
  readonly offline: boolean;
}

/**
 * The last transaction, kept while a cancel (`BI = Y`) may still reverse it.
 * Only the very last transaction can be cancelled, and only once: anything
 * after it (another checkout, renewal, checkin, or a cancel) clears it.
 */
export type CancellableCheckout = { readonly kind: "checkout" };
export type CancellableCheckoutRenewal = {
  readonly kind: "checkout_renewal";
  readonly previousDueAt: string;
  readonly previousRenewals: number;
};
export type CancellableCheckin = {
  readonly kind: "checkin";
  /** The loan the checkin closed, restored as it was if the checkin is cancelled. */
  readonly closedLoan: Loan;
  readonly returnedAt: string;
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

/**
 * Applies one event. It trusts the stream: events exist only because a decider
 * made them from the state before, so an event that does not fit the state
 * (a renewal with no loan) leaves the state as it is rather than throwing on replay.
 */
export function evolve(state: LoanState, event: LoanEvent): LoanState {
  switch (event.type) {
    case "ItemCheckedOut":
      return {
        status: "on_loan",
        loan: {
          institutionId: event.institutionId,
          itemBarcode: event.itemBarcode,
          patronId: event.patronId,
          patronBarcode: event.patronBarcode,
          loanedAt: event.loanedAt,
          dueAt: event.dueAt,
          renewals: 0,
          rule: event.rule,
          offline: event.offline,
        },
        cancellable: { kind: "checkout" },
      };
    case "LoanImported":
      return {
        status: "on_loan",
        loan: {
          institutionId: event.institutionId,
          itemBarcode: event.itemBarcode,
          patronId: event.patronId,
          patronBarcode: event.patronBarcode,
          loanedAt: event.loanedAt,
          dueAt: event.dueAt,
          renewals: event.renewals,
          rule: event.rule,
          offline: false,
        },
        cancellable: null,
      };
    case "LoanRenewed": {
      if (state.status !== "on_loan") return state;
      return {
        status: "on_loan",
        loan: { ...state.loan, dueAt: event.dueAt, renewals: event.renewals },
        cancellable:
          event.via === "checkout"
            ? { kind: "checkout_renewal", previousDueAt: state.loan.dueAt, previousRenewals: state.loan.renewals }
            : null,
      };
    }
    case "ItemCheckedIn":
      if (state.status !== "on_loan") return NOTHING;
      return { status: "none", cancellable: { kind: "checkin", closedLoan: state.loan, returnedAt: event.returnedAt } };
    case "ItemCheckedInNotOnLoan":
    case "CheckOutCancelled":
      return NOTHING;
    case "RenewalCancelled":
      if (state.status !== "on_loan") return state;
      return { status: "on_loan", loan: { ...state.loan, dueAt: event.dueAt, renewals: event.renewals }, cancellable: null };
    case "CheckInCancelled":
      return {
        status: "on_loan",
        loan: {
          institutionId: event.institutionId,
          itemBarcode: event.itemBarcode,
          patronId: event.patronId,
          patronBarcode: event.patronBarcode,
          loanedAt: event.loanedAt,
          dueAt: event.dueAt,
          renewals: event.renewals,
          rule: event.rule,
          offline: event.loanOffline,
        },
        cancellable: null,
      };
  }
}
