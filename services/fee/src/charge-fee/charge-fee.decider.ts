import { type DomainEvent, domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import {
  balance,
  type CurrencyCode,
  type FeeAccount,
  feeTypeOf,
  findCharge,
  type Instant,
  type ItemKey,
  isCurrencyCode,
  isFeeTypeCode,
  isInstant,
  itemRef,
  money,
  type PatronKey,
  patronRef,
} from "../domain/index.js";

/** A charge made by staff or an import (damage, replacement, processing…). */
export interface ChargeFee {
  readonly chargeId: string;
  readonly patron: PatronKey;
  /** SIP2 fee type code; only the nine defined codes (01–09) are accepted. */
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
