import type { FeeTypeCode } from "./fee.codes.js";
import { balance, type FeeAccount, outstandingOldestFirst } from "./fee-account.state.js";
import type { CurrencyCode } from "./money.format.js";
import type { Instant } from "./time.js";

/** One outstanding charge as 63/64 lists it (`AV`); the gateway chooses the text layout. */
export interface FineItem {
  readonly chargeId: string;
  readonly feeType: FeeTypeCode;
  /** Still owed. */
  readonly amount: number;
  /** As charged, before payments. */
  readonly originalAmount: number;
  readonly itemBarcode: string | null;
  readonly title: string | null;
  readonly description: string;
  readonly chargedAt: Instant;
}

export interface FeeBalanceView {
  /** `null` for an account that never had a charge: the gateway uses the institution's. */
  readonly currency: CurrencyCode | null;
  /** `BV` in 64. */
  readonly totalOutstanding: number;
  /** Oldest first: the order a balance payment settles them in. */
  readonly fineItems: readonly FineItem[];
  /** 64's fine items count. */
  readonly fineItemsCount: number;
}

export function feeBalanceView(account: FeeAccount): FeeBalanceView {
  const fineItems = outstandingOldestFirst(account).map(
    (c): FineItem => ({
      chargeId: c.chargeId,
      feeType: c.feeType,
      amount: c.outstanding,
      originalAmount: c.amount,
      itemBarcode: c.itemBarcode,
      title: c.title,
      description: c.description,
      chargedAt: c.chargedAt,
    }),
  );
  return { currency: account.currency, totalOutstanding: balance(account), fineItems, fineItemsCount: fineItems.length };
}
