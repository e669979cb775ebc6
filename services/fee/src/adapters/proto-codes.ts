import { common } from "@circulate/contracts";
import type { FeeTypeCode, PaymentTypeCode } from "../domain/index.js";

/**
 * The contracts carry SIP2 code tables as protobuf enums (numbers are not SIP2
 * codes); the domain speaks the two-character SIP2 codes. These tables are the
 * only place the two meet.
 */
const FEE_TYPE_BY_CODE = {
  "01": common.FeeType.OTHER,
  "02": common.FeeType.ADMINISTRATIVE,
  "03": common.FeeType.DAMAGE,
  "04": common.FeeType.OVERDUE,
  "05": common.FeeType.PROCESSING,
  "06": common.FeeType.RENTAL,
  "07": common.FeeType.REPLACEMENT,
  "08": common.FeeType.COMPUTER_ACCESS,
  "09": common.FeeType.HOLD,
} as const satisfies Record<FeeTypeCode, common.FeeType>;

const CODE_BY_FEE_TYPE = new Map<string, FeeTypeCode>(
  Object.entries(FEE_TYPE_BY_CODE).map(([code, type]) => [type, code as FeeTypeCode]),
);

export function feeTypeOf(code: string): common.FeeType {
  return FEE_TYPE_BY_CODE[code as FeeTypeCode] ?? common.FeeType.UNSPECIFIED;
}

/** The SIP2 code of a fee type; "" for UNSPECIFIED or a value newer than this build. */
export function feeTypeCode(type: common.FeeType): FeeTypeCode | "" {
  return CODE_BY_FEE_TYPE.get(type) ?? "";
}

/**
 * Payment types to SIP2 codes. CHECK is the common "05" extension; write-off and
 * "other" have no code the decider accepts, so they come out as refusals
 * (payment_type_unknown), never as silent cash.
 */
const CODE_BY_PAYMENT_TYPE: Partial<Record<common.PaymentType, string>> = {
  [common.PaymentType.CASH]: "00",
  [common.PaymentType.VISA]: "01",
  [common.PaymentType.CREDIT_CARD]: "02",
  [common.PaymentType.CHECK]: "05",
};

export function paymentTypeCode(type: common.PaymentType): string {
  return CODE_BY_PAYMENT_TYPE[type] ?? "";
}

const PAYMENT_TYPE_BY_CODE: Record<PaymentTypeCode, common.PaymentType> = {
  "00": common.PaymentType.CASH,
  "01": common.PaymentType.VISA,
  "02": common.PaymentType.CREDIT_CARD,
};

export function paymentTypeOf(code: string): common.PaymentType {
  return PAYMENT_TYPE_BY_CODE[code as PaymentTypeCode] ?? common.PaymentType.UNSPECIFIED;
}

export function money(amountMinor: number, currency: string): common.Money {
  return { currency, amountMinor };
}
