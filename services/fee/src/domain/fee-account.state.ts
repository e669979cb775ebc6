import type { DomainEvent } from "@circulate/contracts";
import { fold } from "@circulate/domain";
import { FeeType, type FeeTypeCode, feeTypeCode } from "./fee.codes.js";
import { type CurrencyCode, minorOf } from "./money.format.js";
import type { Instant } from "./time.js";

export type ChargeStatus = "outstanding" | "paid" | "waived";

/** An overdue fine's origin: only assessed fines count days late, and a fine is at least one day late. */
export interface ChargeSource {
  readonly kind: "overdue";
  readonly loanId: string;
  /** The checkin that ended the loan; the idempotency key of the assessment. */
  readonly checkinId: string;
  readonly daysLate: number;
  readonly chargeableDays: number;
}

export interface Charge {
  readonly chargeId: string;
  readonly feeType: FeeTypeCode;
  readonly amount: number;
  /** Still owed; 0 once paid or waived. */
  readonly outstanding: number;
  readonly status: ChargeStatus;
  readonly description: string;
  readonly itemBarcode: string | null;
  readonly title: string | null;
  readonly chargedAt: Instant;
  readonly source: ChargeSource | null;
}

/** Part of a payment applied to one charge. */
export interface Allocation {
  readonly chargeId: string;
  readonly amount: number;
}

/** What a recorded payment answered, so a redelivered `PayFee` gets the same reply. */
export interface RecordedPayment {
  readonly paymentId: string;
  readonly amount: number;
  readonly allocations: readonly Allocation[];
  readonly balanceAfter: number;
}

/**
 * One patron's account. `currency` is fixed by the first charge: an account never
 * mixes currencies, so a balance is one number. Charges stay in stream order.
 */
export interface FeeAccount {
  readonly currency: CurrencyCode | null;
  readonly charges: readonly Charge[];
  readonly payments: ReadonlyMap<string, RecordedPayment>;
}

export const initialFeeAccount: FeeAccount = { currency: null, charges: [], payments: new Map() };

export function evolve(state: FeeAccount, event: DomainEvent<"fee">): FeeAccount {
  switch (event.type) {
    case "FeeCharged": {
      const e = event.data;
      const amount = minorOf(e.amount);
      const charge: Charge = {
        chargeId: e.feeId,
        feeType: feeTypeCode(e.feeType) || FeeType.other,
        amount,
        outstanding: amount,
        status: amount > 0 ? "outstanding" : "paid",
        description: e.description,
        itemBarcode: e.item?.barcode || null,
        title: e.title || null,
        // Undated only if stored so, and the store dates those when read: such a charge counts as oldest.
        chargedAt: (e.chargedAt ?? new Date(0)).toISOString(),
        source:
          e.daysLate > 0
            ? { kind: "overdue", loanId: e.loanId, checkinId: e.sourceId, daysLate: e.daysLate, chargeableDays: e.chargeableDays }
            : null,
      };
      return { ...state, currency: state.currency ?? e.amount?.currency ?? "", charges: [...state.charges, charge] };
    }
    case "FeePaid": {
      const e = event.data;
      const allocations = e.allocations.map((a): Allocation => ({ chargeId: a.feeId, amount: minorOf(a.amount) }));
      const payment: RecordedPayment = { paymentId: e.paymentId, amount: minorOf(e.amount), allocations, balanceAfter: minorOf(e.balanceAfter) };
      return { ...state, charges: applyAllocations(state.charges, allocations), payments: new Map(state.payments).set(e.paymentId, payment) };
    }
    case "FeeWaived": {
      const e = event.data;
      const waived = minorOf(e.amount);
      // A partial waiver leaves the rest outstanding; the charge is "waived" once nothing is owed.
      return {
        ...state,
        charges: state.charges.map((c) => {
          if (c.chargeId !== e.feeId) return c;
          const outstanding = Math.max(0, c.outstanding - waived);
          return { ...c, outstanding, status: outstanding === 0 ? "waived" : c.status };
        }),
      };
    }
    // Defined by the contracts but never recorded by this service.
    case "FeeCancelled":
    case "FeeImported":
      return state;
  }
}

export function accountFrom(events: Iterable<DomainEvent<"fee">>): FeeAccount {
  return fold(evolve, initialFeeAccount, events);
}

export function balance(state: FeeAccount): number {
  return state.charges.reduce((sum, c) => sum + c.outstanding, 0);
}

export function findCharge(state: FeeAccount, chargeId: string): Charge | undefined {
  return state.charges.find((c) => c.chargeId === chargeId);
}

/** The overdue charge a checkin produced, e.g. to waive it when the checkin is cancelled. */
export function chargeForCheckin(state: FeeAccount, checkinId: string): Charge | undefined {
  return state.charges.find((c) => c.source?.kind === "overdue" && c.source.checkinId === checkinId);
}

/**
 * Outstanding charges, oldest first: by `chargedAt`, then stream order (the sort is
 * stable). Imported charges may carry a `chargedAt` earlier than charges already on
 * the account, so stream order alone is not age.
 */
export function outstandingOldestFirst(state: FeeAccount): Charge[] {
  return state.charges.filter((c) => c.outstanding > 0).sort((a, b) => Date.parse(a.chargedAt) - Date.parse(b.chargedAt));
}

function applyAllocations(charges: readonly Charge[], allocations: readonly Allocation[]): Charge[] {
  const paid = new Map(allocations.map((a) => [a.chargeId, a.amount]));
  return charges.map((c) => {
    const amount = paid.get(c.chargeId);
    if (amount === undefined) return c;
    const outstanding = c.outstanding - amount;
    return { ...c, outstanding, status: outstanding === 0 ? "paid" : c.status };
  });
}
