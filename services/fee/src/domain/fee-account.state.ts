import { fold } from "@circulate/domain";
import type { FeeTypeCode } from "./fee.codes.js";
import type { Allocation, ChargeSource, FeeEvent, FeePaid } from "./fee.events.js";
import type { CurrencyCode } from "./money.format.js";
import type { Instant } from "./overdue-fine.policy.js";

export type ChargeStatus = "outstanding" | "paid" | "waived";

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

export function evolve(state: FeeAccount, event: FeeEvent): FeeAccount {
  switch (event.type) {
    case "FeeCharged": {
      const charge: Charge = {
        chargeId: event.chargeId,
        feeType: event.feeType,
        amount: event.amount,
        outstanding: event.amount,
        status: event.amount > 0 ? "outstanding" : "paid",
        description: event.description,
        itemBarcode: event.itemBarcode,
        title: event.title,
        chargedAt: event.chargedAt,
        source: event.source,
      };
      return { ...state, currency: state.currency ?? event.currency, charges: [...state.charges, charge] };
    }
    case "FeePaid":
      return { ...state, charges: applyAllocations(state.charges, event.allocations), payments: recordPayment(state.payments, event) };
    case "FeeWaived":
      // A partial waiver leaves the rest outstanding; the charge is "waived" once nothing is owed.
      return {
        ...state,
        charges: state.charges.map((c) => {
          if (c.chargeId !== event.chargeId) return c;
          const outstanding = Math.max(0, c.outstanding - event.amount);
          return { ...c, outstanding, status: outstanding === 0 ? "waived" : c.status };
        }),
      };
  }
}

export function accountFrom(events: Iterable<FeeEvent>): FeeAccount {
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

function recordPayment(payments: ReadonlyMap<string, RecordedPayment>, e: FeePaid): ReadonlyMap<string, RecordedPayment> {
  const next = new Map(payments);
  next.set(e.paymentId, { paymentId: e.paymentId, amount: e.amount, allocations: e.allocations, balanceAfter: e.balanceAfter });
  return next;
}
