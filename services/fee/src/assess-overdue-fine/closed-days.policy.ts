import { epochDay, fromEpochDay, isLocalDate, type LocalDate, localDateOf } from "@circulate/domain";
import type { Instant } from "../domain/index.js";

/** An institution's closed days as its calendar states them (the loan service's `Calendar` shape). */
export interface ClosedDaysCalendar {
  /** Weekdays the library is closed: 0 = Sunday … 6 = Saturday. */
  readonly closedWeekdays: readonly number[];
  /** Further closed dates, "YYYY-MM-DD" in the institution's zone. */
  readonly closedDates: readonly LocalDate[];
}

/** A loan years overdue still needs a bounded walk; beyond this the listed dates alone are used. */
const MAX_DAYS_WALKED = 36_600;

/**
 * The closed local dates after the due day up to and including the return day,
 * the days `assessOverdueFine` must not fine. The fine rule takes a list of dates,
 * so weekly closures are expanded here over exactly the days that matter.
 * Returns `[]` for a return on or before the due day.
 */
export function closedDaysWithin(dueAt: Instant, returnedAt: Instant, tz: string, calendar: ClosedDaysCalendar): LocalDate[] {
  const dueDay = localDateOf(new Date(dueAt), tz);
  const returnDay = localDateOf(new Date(returnedAt), tz);
  if (returnDay <= dueDay) return [];
  const closed = new Set(calendar.closedDates.filter((d) => d > dueDay && d <= returnDay));
  const weekdays = new Set(calendar.closedWeekdays);
  if (weekdays.size > 0) {
    const first = epochDay(dueDay) + 1;
    const last = Math.min(epochDay(returnDay), first + MAX_DAYS_WALKED);
    for (let day = first; day <= last; day++) {
      // Day 0 (1970-01-01) was a Thursday.
      if (weekdays.has((day + 4) % 7)) closed.add(fromEpochDay(day));
    }
  }
  return [...closed].sort();
}

/** Whether a calendar is well-formed: weekdays 0–6 and real "YYYY-MM-DD" dates. */
export function calendarProblem(calendar: ClosedDaysCalendar): string | null {
  const badDay = calendar.closedWeekdays.find((d) => !Number.isInteger(d) || d < 0 || d > 6);
  if (badDay !== undefined) return `closed weekday ${badDay} is not 0 (Sunday) to 6 (Saturday)`;
  const badDate = calendar.closedDates.find((d) => !isLocalDate(d));
  if (badDate !== undefined) return `closed date ${JSON.stringify(badDate)} is not YYYY-MM-DD`;
  return null;
}
