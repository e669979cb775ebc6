import type { FeeTypeCode, PaymentTypeCode } from "./fee.codes.js";
import type { CurrencyCode } from "./money.format.js";
import type { Instant } from "./overdue-fine.policy.js";

/**
 * Events of one patron's fee account (stream `fee-<institution>-<patronBarcode>`).
 * Amounts are integer minor units of `currency`. Each event carries the patron and
 * the balance after it, so a subscriber (the patron service's "fines over limit")
 * needs the latest event only, never a replay of the account.
 */
export type FeeEvent = FeeCharged | FeePaid | FeeWaived;

/** Where a charge came from, when something other than staff created it. */
export type ChargeSource = {
  readonly kind: "overdue";
  readonly loanId: string;
  /** The checkin that ended the loan; the idempotency key of the assessment. */
  readonly checkinId: string;
  readonly daysLate: number;
  readonly chargeableDays: number;
  /** The checkin was a no-block (offline) transaction. */
  readonly offline: boolean;
};

export interface FeeCharged {
  readonly type: "FeeCharged";
  readonly patronBarcode: string;
  readonly chargeId: string;
  readonly feeType: FeeTypeCode;
  readonly amount: number;
  readonly currency: CurrencyCode;
  readonly description: string;
  readonly itemBarcode: string | null;
  readonly title: string | null;
  /** When the fee was incurred (for an import: the original date); orders oldest-first payment. */
  readonly chargedAt: Instant;
  readonly source: ChargeSource | null;
  readonly balanceAfter: number;
}

export interface Allocation {
  readonly chargeId: string;
  readonly amount: number;
}

export interface FeePaid {
  readonly type: "FeePaid";
  readonly patronBarcode: string;
  /** The ACS receipt id (`BK` in 38), generated outside the decider. */
  readonly paymentId: string;
  readonly amount: number;
  readonly currency: CurrencyCode;
  readonly allocations: readonly Allocation[];
  /** Fee type the kiosk declared (37 fixed field); recorded, not used to allocate. */
  readonly feeType: string;
  readonly paymentType: PaymentTypeCode;
  /** Transaction id from the payment device (`BK` in 37), if it sent one. */
  readonly transactionId: string | null;
  readonly paidAt: Instant;
  readonly balanceAfter: number;
}

export interface FeeWaived {
  readonly type: "FeeWaived";
  readonly patronBarcode: string;
  readonly chargeId: string;
  /** The amount forgiven, all or part of what was outstanding (what had been paid stays paid). */
  readonly amount: number;
  readonly reason: string;
  readonly waivedAt: Instant;
  readonly balanceAfter: number;
}
