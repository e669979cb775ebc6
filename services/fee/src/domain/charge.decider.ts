import { accept, type Decision, refuse } from "@circulate/domain";
import { isFeeTypeCode } from "./fee.codes.js";
import type { FeeCharged, FeeEvent, FeeWaived } from "./fee.events.js";
import { balance, type FeeAccount, findCharge } from "./fee-account.state.js";
import { type CurrencyCode, isCurrencyCode } from "./money.format.js";
import { type Instant, isInstant } from "./overdue-fine.policy.js";

/** A charge made by staff or an import (damage, replacement, processing…). */
export interface ChargeFee {
  readonly chargeId: string;
  readonly patronBarcode: string;
  /** SIP2 fee type code (§4.5); only the nine defined codes are accepted. */
  readonly feeType: string;
  readonly amount: number;
  readonly currency: CurrencyCode;
  readonly description: string;
  readonly itemBarcode: string | null;
  readonly title: string | null;
  /** When the fee was incurred, for imports of old debts; `null` = now. Drives oldest-first payment. */
  readonly chargedAt: Instant | null;
}

export type ChargeFeeRefusal = "amount_invalid" | "fee_type_unknown" | "currency_mismatch" | "dates_invalid" | "charge_id_taken";

export interface FeeChargeResult {
  readonly chargeId: string;
  readonly balance: number;
}

export function decideChargeFee(command: ChargeFee, state: FeeAccount, now: Instant): Decision<FeeEvent, ChargeFeeRefusal, FeeChargeResult> {
  const existing = findCharge(state, command.chargeId);
  if (existing) {
    // An import run twice sends the same charge again: same charge → same answer, nothing new.
    if (existing.amount === command.amount && existing.feeType === command.feeType)
      return accept([], { chargeId: existing.chargeId, balance: balance(state) });
    return refuse("charge_id_taken", `${command.chargeId} already charged with other terms`);
  }
  if (!Number.isSafeInteger(command.amount) || command.amount <= 0) return refuse("amount_invalid", `amount ${command.amount}`);
  if (!isFeeTypeCode(command.feeType)) return refuse("fee_type_unknown", `fee type ${command.feeType}`);
  if (!isCurrencyCode(command.currency) || (state.currency !== null && state.currency !== command.currency))
    return refuse("currency_mismatch", `account in ${state.currency}, charge in ${command.currency}`);
  const chargedAt = command.chargedAt ?? now;
  if (!isInstant(chargedAt)) return refuse("dates_invalid", `charged at ${chargedAt}`);

  const event: FeeCharged = {
    type: "FeeCharged",
    patronBarcode: command.patronBarcode,
    chargeId: command.chargeId,
    feeType: command.feeType,
    amount: command.amount,
    currency: command.currency,
    description: command.description,
    itemBarcode: command.itemBarcode,
    title: command.title,
    chargedAt,
    source: null,
    balanceAfter: balance(state) + command.amount,
  };
  return accept([event], { chargeId: command.chargeId, balance: event.balanceAfter });
}

/** Forgive what is still owed on one charge (staff decision, or a cancelled checkin's fine). */
export interface WaiveFee {
  readonly chargeId: string;
  readonly patronBarcode: string;
  readonly reason: string;
  /** Part of the outstanding amount to forgive; absent or `null` = all of it. */
  readonly amount?: number | null;
}

export type WaiveFeeRefusal = "fee_not_found" | "fee_already_paid" | "amount_invalid";

export interface FeeWaiveResult {
  readonly chargeId: string;
  readonly waived: number;
  readonly balance: number;
}

export function decideWaiveFee(command: WaiveFee, state: FeeAccount, now: Instant): Decision<FeeEvent, WaiveFeeRefusal, FeeWaiveResult> {
  const charge = findCharge(state, command.chargeId);
  if (!charge) return refuse("fee_not_found", command.chargeId);
  // Waiving twice is the same wish twice: answer as if done, record nothing.
  if (charge.status === "waived") return accept([], { chargeId: charge.chargeId, waived: 0, balance: balance(state) });
  if (charge.status === "paid") return refuse("fee_already_paid", command.chargeId);
  const amount = command.amount ?? charge.outstanding;
  // Forgiving more than is owed would turn a waiver into a credit: refused like an overpayment.
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > charge.outstanding)
    return refuse("amount_invalid", `waive ${amount} of ${charge.outstanding} outstanding`);

  const event: FeeWaived = {
    type: "FeeWaived",
    patronBarcode: command.patronBarcode,
    chargeId: charge.chargeId,
    amount,
    reason: command.reason,
    waivedAt: now,
    balanceAfter: balance(state) - amount,
  };
  return accept([event], { chargeId: charge.chargeId, waived: amount, balance: event.balanceAfter });
}
