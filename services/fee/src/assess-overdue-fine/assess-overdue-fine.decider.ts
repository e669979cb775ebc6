import { common, type DomainEvent, domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import {
  balance,
  type CurrencyCode,
  chargeForCheckin,
  type FeeAccount,
  findCharge,
  type Instant,
  type ItemKey,
  isCurrencyCode,
  isInstant,
  isTimeZone,
  itemRef,
  type LocalDate,
  money,
  type PatronKey,
  patronRef,
} from "../domain/index.js";
import { assessOverdueFine, type FinePolicy, finePolicyProblem } from "./overdue-fine.policy.js";

/**
 * Driven by the loan service's `ItemCheckedIn` (online or no-block): everything the
 * rule needs travels in the command, so the fee service never asks the loan
 * service anything. A no-block (offline) checkin is assessed the same way; the
 * app marks the stored event `offline`.
 */
export interface AssessOverdueFine {
  /** Id for the charge if there is one; generated outside so the decider stays pure. */
  readonly chargeId: string;
  readonly loanId: string;
  /** The checkin event's id: a redelivered event assesses nothing twice. */
  readonly checkinId: string;
  readonly patron: PatronKey;
  readonly item: ItemKey | null;
  readonly title: string | null;
  readonly dueAt: Instant;
  /** When the item came back (09's return date, e.g. the book-drop time); may be before `now`. */
  readonly returnedAt: Instant;
  readonly policy: FinePolicy;
  readonly currency: CurrencyCode;
  readonly tz: string;
  readonly closedDays?: readonly LocalDate[];
}

export type AssessOverdueFineRefusal = "fine_policy_invalid" | "dates_invalid" | "currency_mismatch" | "charge_id_taken";

export interface OverdueFineAssessed {
  /** The charge made now or by an earlier delivery of the same checkin; `null` = no fine. */
  readonly chargeId: string | null;
  readonly amount: number;
  readonly daysLate: number;
  readonly chargeableDays: number;
  /** This checkin had been assessed already; nothing new was recorded. */
  readonly alreadyAssessed: boolean;
}

export function decideAssessOverdueFine(
  command: AssessOverdueFine,
  state: FeeAccount,
  now: Instant,
): Decision<DomainEvent<"fee">, AssessOverdueFineRefusal, OverdueFineAssessed> {
  // Idempotency first: a redelivery must get the first answer even if the account changed since.
  const earlier = chargeForCheckin(state, command.checkinId);
  if (earlier?.source?.kind === "overdue") {
    const { daysLate, chargeableDays } = earlier.source;
    return accept([], { chargeId: earlier.chargeId, amount: earlier.amount, daysLate, chargeableDays, alreadyAssessed: true });
  }

  const policyProblem = finePolicyProblem(command.policy);
  if (policyProblem) return refuse("fine_policy_invalid", policyProblem);
  if (!isInstant(command.dueAt) || !isInstant(command.returnedAt) || !isInstant(now) || !isTimeZone(command.tz))
    return refuse("dates_invalid", `due ${command.dueAt}, returned ${command.returnedAt}, now ${now}, zone ${command.tz}`);
  if (!isCurrencyCode(command.currency) || (state.currency !== null && state.currency !== command.currency))
    return refuse("currency_mismatch", `account in ${state.currency}, fine policy in ${command.currency}`);

  // A backdated return (book drop emptied next morning) is fined to the return date;
  // a return date in the future (a kiosk clock ahead) is never fined beyond now.
  const returnedAt = Date.parse(command.returnedAt) < Date.parse(now) ? command.returnedAt : now;
  const fine = assessOverdueFine({ ...command.policy, dueAt: command.dueAt, returnedAt, tz: command.tz, closedDays: command.closedDays });
  const assessed = { amount: fine.amount, daysLate: fine.daysLate, chargeableDays: fine.chargeableDays, alreadyAssessed: false };
  if (fine.amount === 0) return accept([], { ...assessed, chargeId: null });

  if (findCharge(state, command.chargeId)) return refuse("charge_id_taken", command.chargeId);
  const event = domainEvent("FeeCharged", {
    feeId: command.chargeId,
    feeType: common.FeeType.OVERDUE,
    amount: money(fine.amount, command.currency),
    description: `overdue, ${fine.daysLate} day${fine.daysLate === 1 ? "" : "s"} late`,
    item: itemRef(command.item, command.patron),
    title: command.title ?? "",
    loanId: command.loanId,
    sourceId: command.checkinId,
    patron: patronRef(command.patron),
    // Incurred when the item came back, not when the event reached us.
    chargedAt: new Date(returnedAt),
    daysLate: fine.daysLate,
    chargeableDays: fine.chargeableDays,
    balanceAfter: money(balance(state) + fine.amount, command.currency),
  });
  return accept([event], { ...assessed, chargeId: command.chargeId });
}
