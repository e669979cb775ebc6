/**
 * How much an overdue return costs. Pure: the loan's rule, the institution's time
 * zone and closed days arrive as data; nothing reads a clock.
 */

import type { loan } from "@circulate/contracts";
import { daysBetween, type LocalDate, localDateOf } from "@circulate/domain";
import type { Instant } from "../domain/index.js";

/** The fine part of a loan rule, in minor units of the institution's currency. */
export interface FinePolicy {
  readonly finePerDay: number;
  /** Cap for one loan's fine; `null` = no cap. */
  readonly maxFine: number | null;
  /**
   * Chargeable days late that are forgiven. Koha's rule ("firstremind"): returned
   * within the grace period → no fine; later → every chargeable day is fined,
   * not only the days beyond the grace period.
   */
  readonly graceDays: number;
}

export interface OverdueFineInput extends FinePolicy {
  readonly dueAt: Instant;
  readonly returnedAt: Instant;
  /** IANA zone of the institution, e.g. "Europe/Paris". */
  readonly tz: string;
  /** Local dates on which the library was closed: not fined (Koha's "noFinesWhenClosed"). */
  readonly closedDays?: readonly LocalDate[];
}

export interface OverdueFine {
  readonly amount: number;
  /** Local calendar days from the due day to the return day. */
  readonly daysLate: number;
  /** `daysLate` less the closed days among them: what grace and the daily rate apply to. */
  readonly chargeableDays: number;
}

const NO_FINE = { amount: 0, daysLate: 0, chargeableDays: 0 } as const;

/**
 * Days late are counted in local calendar days, not 24-hour periods: a day loan
 * due at 23:59:59 and returned at 09:00 the next morning is one day late. The days
 * counted are those after the due day up to and including the return day; closed
 * days among them are free. A late return on the due day itself (an hour loan)
 * counts as one day, as the loan service's `lateness` does, so an event saying
 * "1 day overdue" is never fined 0 for want of a calendar day.
 *
 * @throws RangeError for an unparsable instant or an unknown time zone (the
 * decider validates first; reaching this is a programming error).
 */
export function assessOverdueFine(input: OverdueFineInput): OverdueFine {
  const due = toEpochMs(input.dueAt);
  const returned = toEpochMs(input.returnedAt);
  if (returned <= due) return NO_FINE;

  const dueDay = localDateOf(new Date(due), input.tz);
  const returnDay = localDateOf(new Date(returned), input.tz);
  // Later on the due day itself is one day (the due day is open: due dates avoid closed days).
  const daysLate = Math.max(1, daysBetween(dueDay, returnDay));

  // A Set so a closed day listed twice is not subtracted twice. ISO dates compare as strings.
  const closed = new Set(input.closedDays ?? []);
  let closedWithin = 0;
  for (const day of closed) if (day > dueDay && day <= returnDay) closedWithin++;
  return fined(daysLate, daysLate - closedWithin, input);
}

function fined(daysLate: number, chargeableDays: number, policy: FinePolicy): OverdueFine {
  if (chargeableDays <= policy.graceDays) return { amount: 0, daysLate, chargeableDays };
  const uncapped = chargeableDays * policy.finePerDay;
  const amount = policy.maxFine === null ? uncapped : Math.min(uncapped, policy.maxFine);
  return { amount, daysLate, chargeableDays };
}

/** The loan contract's fine policy in the domain's terms: a `max` unset or of zero amount is no cap. */
export function finePolicyFrom(p: loan.FinePolicy): FinePolicy {
  const max = p.max?.amountMinor ?? 0;
  return { finePerDay: p.perDay?.amountMinor ?? 0, maxFine: max > 0 ? max : null, graceDays: p.graceDays };
}

/** Why a policy cannot be applied, or `null` when it can. */
export function finePolicyProblem(policy: FinePolicy): string | null {
  if (!Number.isSafeInteger(policy.finePerDay) || policy.finePerDay < 0) return "finePerDay must be a non-negative integer";
  if (policy.maxFine !== null && (!Number.isSafeInteger(policy.maxFine) || policy.maxFine < 0))
    return "maxFine must be a non-negative integer or null";
  if (!Number.isSafeInteger(policy.graceDays) || policy.graceDays < 0) return "graceDays must be a non-negative integer";
  return null;
}

function toEpochMs(instant: Instant): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${instant}`);
  return ms;
}
