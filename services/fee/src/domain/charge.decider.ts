import { type DomainEvent, domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { feeTypeOf, isFeeTypeCode } from "./fee.codes.js";
import { type ItemKey, itemRef, type PatronKey, patronRef } from "./fee.refs.js";
import { balance, type FeeAccount, findCharge } from "./fee-account.state.js";
import { type CurrencyCode, isCurrencyCode, money } from "./money.format.js";
import { type Instant, isInstant } from "./overdue-fine.policy.js";

/** A charge made by staff or an import (damage, replacement, processing…). */
export interface ChargeFee {
  readonly chargeId: string;
  readonly patron: PatronKey;
  /** SIP2 fee type code (§4.5); only the nine defined codes are accepted. */
  readonly feeType: string;
  readonly amount: number;
  readonly currency: CurrencyCode;
  readonly description: string;
  readonly item: ItemKey | null;
  readonly title: string | null;
  /** When the fee was incurred, for imports of old debts; `null` = now. Drives oldest-first payment. */
  readonly chargedAt: Instant | null;
  /** The loan it is for (a rental), if any. */
  readonly loanId?: string;
  /** What asked for it: the request, the import record or the event; recorded, not checked. */
  readonly sourceId?: string;
}

export type ChargeFeeRefusal = "amount_invalid" | "fee_type_unknown" | "currency_mismatch" | "dates_invalid" | "charge_id_taken";

export interface FeeChargeResult {
  readonly chargeId: string;
  readonly balance: number;
}

export function decideChargeFee(command: ChargeFee, state: FeeAccount, now: Instant): Decision<DomainEvent<"fee">, ChargeFeeRefusal, FeeChargeResult> {
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

  const balanceAfter = balance(state) + command.amount;
  const event = domainEvent("FeeCharged", {
    feeId: command.chargeId,
    feeType: feeTypeOf(command.feeType),
    amount: money(command.amount, command.currency),
    description: command.description,
    item: itemRef(command.item, command.patron),
    title: command.title ?? "",
    loanId: command.loanId ?? "",
    sourceId: command.sourceId ?? "",
    patron: patronRef(command.patron),
    chargedAt: new Date(chargedAt),
    balanceAfter: money(balanceAfter, command.currency),
  });
  return accept([event], { chargeId: command.chargeId, balance: balanceAfter });
}

/** Forgive what is still owed on one charge (staff decision, or a cancelled checkin's fine). */
export interface WaiveFee {
  readonly chargeId: string;
  readonly patron: PatronKey;
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

/** Amounts are the account's currency. `FeeWaived` has no time field: it is stored at the time of the decision. */
export function decideWaiveFee(command: WaiveFee, state: FeeAccount): Decision<DomainEvent<"fee">, WaiveFeeRefusal, FeeWaiveResult> {
  const charge = findCharge(state, command.chargeId);
  if (!charge) return refuse("fee_not_found", command.chargeId);
  // Waiving twice is the same wish twice: answer as if done, record nothing.
  if (charge.status === "waived") return accept([], { chargeId: charge.chargeId, waived: 0, balance: balance(state) });
  if (charge.status === "paid") return refuse("fee_already_paid", command.chargeId);
  const amount = command.amount ?? charge.outstanding;
  // Forgiving more than is owed would turn a waiver into a credit: refused like an overpayment.
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > charge.outstanding)
    return refuse("amount_invalid", `waive ${amount} of ${charge.outstanding} outstanding`);

  const balanceAfter = balance(state) - amount;
  const currency = state.currency ?? "";
  const event = domainEvent("FeeWaived", {
    feeId: charge.chargeId,
    amount: money(amount, currency),
    reason: command.reason,
    patron: patronRef(command.patron),
    balanceAfter: money(balanceAfter, currency),
  });
  return accept([event], { chargeId: charge.chargeId, waived: amount, balance: balanceAfter });
}
