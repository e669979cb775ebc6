/**
 * Due dates and lateness: the loan rules that sit on the shared calendar of
 * `@circulate/domain` (local dates, time zones, closed days).
 *
 * An instant is a `Date`, in events and state alike (proto timestamps are `Date`s).
 * An invalid time zone makes `Intl` throw a `RangeError`: that is a broken
 * configuration invariant, not a refusal, so it is not caught here.
 */
import {
  addDays,
  type Calendar,
  daysBetween,
  endOfLocalDay,
  isOpen,
  localDateOf,
  nextOpenDay,
} from "@circulate/domain";

export {
  ALWAYS_OPEN,
  addDays,
  type Calendar,
  daysBetween,
  endOfLocalDay,
  isOpen,
  type LocalDate,
  localDateOf,
  NoOpenDayError,
  nextOpenDay,
  WEEKDAYS,
  type Weekday,
  weekdayOf,
} from "@circulate/domain";

/** How long a loan lasts. Day loans end at 23:59:59 local; hour loans count elapsed hours. */
export interface LoanPeriod {
  readonly unit: "days" | "hours";
  readonly length: number;
}

const HOUR_MS = 3_600_000;

/**
 * Moves an instant that falls on a closed day to the end of the next open
 * day; an instant on an open day is returned unchanged. Used for every due
 * date we set, including a kiosk's offline due date.
 */
export function onOpenDay(instant: Date, calendar: Calendar, timeZone: string): Date {
  const date = localDateOf(instant, timeZone);
  if (isOpen(calendar, date)) return instant;
  return endOfLocalDay(nextOpenDay(calendar, date), timeZone);
}

/**
 * When a loan that starts at `from` falls due.
 * - Day loans: `length` calendar days after the local date of `from`, at
 *   23:59:59 local (0 days = end of today).
 * - Hour loans: `from` + `length` elapsed hours (real hours, so a DST change
 *   neither adds nor removes loan time).
 * Either way a due date never falls on a closed day: it moves to 23:59:59 of
 * the next open day. We do not model opening hours, so the end of the day is
 * the only time we can promise the book drop is usable.
 */
export function dueDate(from: Date, period: LoanPeriod, calendar: Calendar, timeZone: string): Date {
  if (period.unit === "hours") {
    return onOpenDay(new Date(from.getTime() + period.length * HOUR_MS), calendar, timeZone);
  }
  const due = addDays(localDateOf(from, timeZone), period.length);
  return endOfLocalDay(nextOpenDay(calendar, due), timeZone);
}

export interface Lateness {
  /** Calendar days late in the institution's zone; 0 when on time, at least 1 when late. */
  readonly days: number;
  /** The same days, counting only days the institution was open. */
  readonly openDays: number;
}

/**
 * How late a return is. Counted in local calendar days from the due date to
 * the return date; a return later on the due day itself (hour loans) counts as
 * one day. Both counts are given because whether closed days are fined is the
 * fee service's policy, while the calendar is ours.
 */
export function lateness(dueAt: Date, returnedAt: Date, calendar: Calendar, timeZone: string): Lateness {
  if (returnedAt.getTime() <= dueAt.getTime()) return { days: 0, openDays: 0 };
  const dueDay = localDateOf(dueAt, timeZone);
  const returnDay = localDateOf(returnedAt, timeZone);
  const days = daysBetween(dueDay, returnDay);
  if (days <= 0) return { days: 1, openDays: 1 };
  let openDays = 0;
  for (let d = addDays(dueDay, 1); d <= returnDay; d = addDays(d, 1)) {
    if (isOpen(calendar, d)) openDays++;
  }
  return { days, openDays };
}
