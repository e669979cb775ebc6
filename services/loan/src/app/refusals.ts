import { commands } from "@circulate/contracts";
import type { CheckInRefusalReason, CheckOutRefusalReason, RenewAllRefusalReason, RenewRefusalReason } from "../domain/index.js";

/** Every reason a loan decider can give. */
export type LoanRefusalReason = CheckOutRefusalReason | CheckInRefusalReason | RenewRefusalReason | RenewAllRefusalReason;

const R = commands.RefusalReason;

/**
 * The one table from the deciders' reasons to the contract's. A reason added
 * to a decider fails to compile until it is mapped here. The gateway turns
 * the contract's reason into flags and a screen message.
 */
export const REFUSAL_REASONS = {
  patron_not_found: R.PATRON_NOT_FOUND,
  pin_invalid: R.PATRON_PIN_INVALID,
  pin_locked: R.PATRON_PIN_LOCKED,
  patron_blocked: R.PATRON_BLOCKED,
  card_lost: R.PATRON_CARD_LOST,
  patron_expired: R.PATRON_EXPIRED,
  loan_limit: R.PATRON_LOAN_LIMIT,
  overdue_limit: R.PATRON_OVERDUE_LIMIT,
  fines_over_limit: R.PATRON_FINES_OVER_LIMIT,
  item_not_found: R.ITEM_NOT_FOUND,
  item_not_circulating: R.ITEM_NOT_CIRCULATING,
  item_on_loan_to_other: R.ITEM_ON_LOAN_TO_OTHER,
  already_on_loan_renewal_not_allowed: R.ITEM_ALREADY_ON_LOAN_TO_PATRON,
  item_missing: R.ITEM_MISSING,
  item_lost: R.ITEM_LOST,
  item_in_transit: R.ITEM_IN_TRANSIT,
  item_claimed_returned: R.ITEM_CLAIMED_RETURNED,
  item_in_process: R.ITEM_IN_PROCESS,
  item_on_hold_for_other: R.ITEM_ON_HOLD_FOR_OTHER,
  renewal_limit: R.RENEWAL_LIMIT_REACHED,
  hold_pending: R.RENEWAL_HOLD_PENDING,
  renewal_not_allowed: R.RENEWAL_NOT_ALLOWED,
  item_not_on_loan: R.NOT_ON_LOAN,
  nothing_to_cancel: R.NOTHING_TO_CANCEL,
} as const satisfies Record<LoanRefusalReason, commands.RefusalReason>;

export function refusalReason(reason: LoanRefusalReason): commands.RefusalReason {
  return REFUSAL_REASONS[reason];
}
