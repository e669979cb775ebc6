import type { loan } from "@circulate/contracts";
import { isLocalDate, isTimeZone } from "@circulate/domain";
import { InvalidArgumentError } from "@circulate/service";
import { findCalendar, findInstitution, saveCalendar, saveTimeZone } from "../adapters/config.repository.js";
import type { LoanDb } from "../adapters/db.js";

/**
 * Admin `Loans.UpsertCalendar`: replaces an institution's calendar (closed
 * weekdays and dates) and, when given, its time zone. Only institution-wide
 * calendars (location empty) and due dates at 23:59:59 local are supported;
 * other values are refused rather than silently ignored.
 */
export async function upsertCalendar(db: LoanDb, request: loan.UpsertCalendarRequest): Promise<loan.UpsertCalendarResponse> {
  const c = request.calendar;
  const problems: string[] = [];
  if (!c) throw new InvalidArgumentError(["calendar is required"]);
  const id = c.institutionId.trim();
  if (!id) problems.push("calendar.institution_id is required");
  if (c.location) problems.push("calendar.location: per-location calendars are not supported; due dates use the institution-wide calendar (location empty)");
  if (c.timeZone && !isTimeZone(c.timeZone)) problems.push(`calendar.time_zone "${c.timeZone}" is not an IANA time zone`);
  if (c.closingTime && !["23:59", "23:59:59"].includes(c.closingTime)) problems.push("calendar.closing_time: day loans fall due at 23:59:59 local; other closing times are not supported");
  const weekdays = [...new Set(c.closedWeekdays)].sort();
  if (weekdays.some((d) => d > 6)) problems.push("calendar.closed_weekdays: 0 = Sunday … 6 = Saturday");
  if (weekdays.length >= 7) problems.push("calendar.closed_weekdays: an institution closed every day has no due dates");
  const dates = [...new Set(c.closedDates)].sort();
  for (const d of dates) if (!isLocalDate(d)) problems.push(`calendar.closed_dates: "${d}" is not a date YYYY-MM-DD`);
  if (problems.length > 0) throw new InvalidArgumentError(problems);

  return db.transaction().execute(async (trx) => {
    const zone = c.timeZone ? await findInstitution(trx, id) : undefined;
    const before = await findCalendar(trx, id);
    const sameDays = before !== undefined && sameList(before.closedWeekdays, weekdays) && sameList(before.closedDates, dates);
    // A re-run of the same import must be told apart from a change, and must not touch updated_at.
    if (sameDays && (!c.timeZone || zone?.timeZone === c.timeZone)) return { replaced: false, unchanged: true };
    if (c.timeZone) await saveTimeZone(trx, id, c.timeZone);
    await saveCalendar(trx, id, { closedWeekdays: weekdays, closedDates: dates });
    return { replaced: before !== undefined, unchanged: false };
  });
}

/** Stored jsonb lists (already sorted and de-duplicated when written) against the request's. */
function sameList(stored: unknown, given: readonly (string | number)[]): boolean {
  return Array.isArray(stored) && stored.length === given.length && stored.every((v, i) => v === given[i]);
}
