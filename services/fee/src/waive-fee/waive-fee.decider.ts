import { type DomainEvent, domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { balance, type FeeAccount, findCharge, money, type PatronKey, patronRef } from "../domain/index.js";

/** Forgive what is still owed on one charge (staff decision, or a cancelled checkin's fine). */
export interface WaiveFee {
  readonly chargeId: string;
  readonly patron: PatronKey;
  readonly reason: string;
  /**
   * Who forgave it (staff name or login), so a waiver can be traced to a person;
   * `""` when the service waives on its own (a cancelled checkin's fine).
   */
  readonly staff: string;
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
    staff: command.staff.trim(),
    patron: patronRef(command.patron),
    balanceAfter: money(balanceAfter, currency),
  });
  return accept([event], { chargeId: charge.chargeId, waived: amount, balance: balanceAfter });
}
