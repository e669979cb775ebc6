import { type DomainEvent, domainEvent } from "@circulate/contracts";
import { accept, type Decision, type Refused, refuse } from "@circulate/domain";
import {
  type Allocation,
  balance,
  type Charge,
  type CurrencyCode,
  type FeeAccount,
  feeTypeOf,
  findCharge,
  isCurrencyCode,
  isPaymentTypeCode,
  money,
  outstandingOldestFirst,
  type PatronKey,
  paymentTypeOf,
  patronRef,
} from "../domain/index.js";

/** 37 Fee Paid, after the gateway parsed `BV` into minor units of the 37's currency. */
export interface PayFee {
  /** The receipt id returned in 38 `BK`; generated outside the decider. */
  readonly paymentId: string;
  readonly patron: PatronKey;
  readonly amount: number;
  /** 37's fee type, recorded as sent: kiosks commonly send 01 whatever they pay. */
  readonly feeType: string;
  /** 37's payment type; only `PaymentType` codes are accepted. */
  readonly paymentType: string;
  readonly currency: CurrencyCode;
  /** `CG`: pay this charge only; `null` = pay the balance oldest charge first. */
  readonly feeId: string | null;
  /** `BK` from the payment device. */
  readonly transactionId: string | null;
}

export type PayFeeRefusal =
  | "amount_invalid"
  | "payment_type_unknown"
  | "currency_mismatch"
  | "nothing_owed"
  | "fee_not_found"
  | "fee_already_paid"
  | "overpayment";

/** The patron service's answer about the payer (its PIN check included), gathered before deciding. */
export interface Payer {
  readonly found: boolean;
  /** The 37 carried a PIN. */
  readonly pinGiven: boolean;
  readonly pinLocked: boolean;
  /** `undefined` when no PIN was checked. */
  readonly pinValid: boolean | undefined;
}

export type PayerRefusal = "patron_not_found" | "pin_locked" | "pin_invalid";

/**
 * Who may pay: any patron the patron service knows, blocked or expired ones
 * too (settling fines is how they get unblocked). A PIN, when given, must
 * match and its checks must not be locked. `null` = may pay.
 */
export function payerRefusal(patron: PatronKey, payer: Payer): Refused<never, PayerRefusal> | null {
  if (!payer.found) return refuse("patron_not_found", `no patron ${patron.barcode} in ${patron.institutionId}`);
  if (payer.pinGiven && payer.pinLocked) return refuse("pin_locked", "PIN checks locked");
  if (payer.pinGiven && payer.pinValid === false) return refuse("pin_invalid", "PIN does not match");
  return null;
}

export interface PaymentReceipt {
  readonly paymentId: string;
  readonly amount: number;
  readonly allocations: readonly Allocation[];
  readonly balanceAfter: number;
}

/**
 * Money taken must match money owed: an overpayment is refused rather than kept as
 * a credit, because a kiosk cannot hand back change and a credit balance needs
 * refund rules nobody has specified (see README). `FeePaid` has no time field: it
 * is stored at the time of the decision.
 */
export function decidePayFee(command: PayFee, state: FeeAccount): Decision<DomainEvent<"fee">, PayFeeRefusal, PaymentReceipt> {
  const recorded = state.payments.get(command.paymentId);
  if (recorded) return accept([], recorded);

  if (!Number.isSafeInteger(command.amount) || command.amount <= 0) return refuse("amount_invalid", `amount ${command.amount}`);
  if (!isPaymentTypeCode(command.paymentType)) return refuse("payment_type_unknown", `payment type ${command.paymentType}`);
  if (!isCurrencyCode(command.currency)) return refuse("currency_mismatch", `currency ${command.currency}`);
  if (state.currency !== null && state.currency !== command.currency)
    return refuse("currency_mismatch", `account in ${state.currency}, payment in ${command.currency}`);

  const allocated = command.feeId === null ? allocateOldestFirst(state, command.amount) : allocateToCharge(state, command.feeId, command.amount);
  if (!allocated.ok) return refuse(allocated.reason, allocated.detail);

  const receipt: PaymentReceipt = {
    paymentId: command.paymentId,
    amount: command.amount,
    allocations: allocated.allocations,
    balanceAfter: balance(state) - command.amount,
  };
  const event = domainEvent("FeePaid", {
    paymentId: command.paymentId,
    amount: money(command.amount, command.currency),
    paymentType: paymentTypeOf(command.paymentType),
    transactionId: command.transactionId ?? "",
    allocations: receipt.allocations.map((a) => ({ feeId: a.chargeId, amount: money(a.amount, command.currency) })),
    patron: patronRef(command.patron),
    feeType: feeTypeOf(command.feeType),
    balanceAfter: money(receipt.balanceAfter, command.currency),
  });
  return accept([event], receipt);
}

type Allocated =
  | { readonly ok: true; readonly allocations: readonly Allocation[] }
  | { readonly ok: false; readonly reason: PayFeeRefusal; readonly detail: string };

function allocateToCharge(state: FeeAccount, feeId: string, amount: number): Allocated {
  const charge = findCharge(state, feeId);
  if (!charge) return { ok: false, reason: "fee_not_found", detail: feeId };
  if (charge.outstanding === 0) return { ok: false, reason: "fee_already_paid", detail: `${feeId} is ${charge.status}` };
  if (amount > charge.outstanding) return overpaid(amount, charge.outstanding, feeId);
  return { ok: true, allocations: [{ chargeId: charge.chargeId, amount }] };
}

function allocateOldestFirst(state: FeeAccount, amount: number): Allocated {
  const open: Charge[] = outstandingOldestFirst(state);
  const owed = open.reduce((sum, c) => sum + c.outstanding, 0);
  if (owed === 0) return { ok: false, reason: "nothing_owed", detail: "balance is 0" };
  if (amount > owed) return overpaid(amount, owed, "the balance");

  const allocations: Allocation[] = [];
  let left = amount;
  for (const charge of open) {
    if (left === 0) break;
    const part = Math.min(left, charge.outstanding);
    allocations.push({ chargeId: charge.chargeId, amount: part });
    left -= part;
  }
  return { ok: true, allocations };
}

function overpaid(amount: number, owed: number, what: string): Allocated {
  return { ok: false, reason: "overpayment", detail: `paid ${amount}, ${what} owes ${owed}` };
}
