/**
 * SIP2 code tables the fee domain speaks (reference §4.5, §4.6). Kept as `as const`
 * objects so codes stay the two-character strings that travel on the wire.
 */

/** Fee type (2 digits; fixed field in 37, `BT` in 12/30). SPEC defines only 01–09. */
export const FeeType = {
  other: "01",
  administrative: "02",
  damage: "03",
  overdue: "04",
  processing: "05",
  rental: "06",
  replacement: "07",
  computerAccess: "08",
  holdFee: "09",
} as const;

export type FeeTypeCode = (typeof FeeType)[keyof typeof FeeType];

const FEE_TYPE_CODES: ReadonlySet<string> = new Set(Object.values(FeeType));

export function isFeeTypeCode(code: string): code is FeeTypeCode {
  return FEE_TYPE_CODES.has(code);
}

/** Payment type (2 digits, fixed field in 37). Only the SPEC's three are accepted. */
export const PaymentType = {
  cash: "00",
  visa: "01",
  creditCard: "02",
} as const;

export type PaymentTypeCode = (typeof PaymentType)[keyof typeof PaymentType];

const PAYMENT_TYPE_CODES: ReadonlySet<string> = new Set(Object.values(PaymentType));

export function isPaymentTypeCode(code: string): code is PaymentTypeCode {
  return PAYMENT_TYPE_CODES.has(code);
}
