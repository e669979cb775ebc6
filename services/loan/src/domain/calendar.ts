/**
 * Closed-day calendars and time-zone arithmetic for due dates, with no date
 * library: `Intl.DateTimeFormat` tells us the wall-clock time of an instant in
 * an IANA zone, and everything else is integer arithmetic on local dates.
 *
 * Conventions:
 * - An instant is a `Date`; events and state store it as an ISO-8601 UTC string.
 * - A local date is `YYYY-MM-DD` in the institution's zone.
 * - An invalid time zone makes `Intl` throw a `RangeError`: that is a broken
 *   configuration invariant, not a refusal, so it is not caught here.
 */

/** A calendar date in the institution's zone, `YYYY-MM-DD`. */
export type LocalDate = string;

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** When an institution is closed. Plain data, so it can come from config or a table. */
export interface Calendar {
  /** Single closed dates (holidays), local to the institution. */
  readonly closedDates: readonly LocalDate[];
  /** Weekdays the institution is closed every week (optional). */
  readonly closedWeekdays?: readonly Weekday[];
}

export const ALWAYS_OPEN: Calendar = { closedDates: [] };

/** How long a loan lasts. Day loans end at 23:59:59 local; hour loans count elapsed hours. */
export interface LoanPeriod {
  readonly unit: "days" | "hours";
  readonly length: number;
}

/** A calendar with every weekday closed has no open day: a broken config, not a refusal. */
export class NoOpenDayError extends Error {
  override readonly name = "NoOpenDayError";
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Far enough for any real holiday run; a longer search means the calendar is broken. */
const MAX_CLOSED_RUN_DAYS = 366;

// Building a DateTimeFormat costs far more than using one, so keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Offset of the zone from UTC at an instant, in ms (wall clock read as UTC minus the instant). */
function offsetAt(instantMs: number, timeZone: string): number {
  const w = wallClock(new Date(instantMs), timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

function parseLocalDate(date: LocalDate): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) throw new RangeError(`not a local date (YYYY-MM-DD): ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

function localDateFromUtcMs(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The institution's calendar date at an instant. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const w = wallClock(instant, timeZone);
  return `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

/** Calendar arithmetic on local dates (no zone involved: a day is a day). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const { year, month, day } = parseLocalDate(date);
  return localDateFromUtcMs(Date.UTC(year, month - 1, day) + days * DAY_MS);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const a = parseLocalDate(from);
  const b = parseLocalDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

export function weekdayOf(date: LocalDate): Weekday {
  const { year, month, day } = parseLocalDate(date);
  return WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]!;
}

// Calendars are immutable data; index each one once.
const closedSets = new WeakMap<Calendar, ReadonlySet<LocalDate>>();
function closedSet(calendar: Calendar): ReadonlySet<LocalDate> {
  let s = closedSets.get(calendar);
  if (s === undefined) {
    s = new Set(calendar.closedDates);
    closedSets.set(calendar, s);
  }
  return s;
}

export function isOpen(calendar: Calendar, date: LocalDate): boolean {
  if (closedSet(calendar).has(date)) return false;
  return !(calendar.closedWeekdays ?? []).includes(weekdayOf(date));
}

/** `date` itself when open, else the first open day after it. */
export function nextOpenDay(calendar: Calendar, date: LocalDate): LocalDate {
  let d = date;
  for (let i = 0; i <= MAX_CLOSED_RUN_DAYS; i++) {
    if (isOpen(calendar, d)) return d;
    d = addDays(d, 1);
  }
  throw new NoOpenDayError(`no open day within ${MAX_CLOSED_RUN_DAYS} days after ${date}`);
}

/**
 * The instant at which the institution's wall clock reads `time` on `date`.
 * DST: when that wall time happens twice (clocks go back) we take the later
 * one, which gives the patron the longer loan; when it does not happen at all
 * (clocks go forward, or a skipped day) we take the instant just after the gap,
 * i.e. the wall time read with the offset in force before the jump.
 */
export function zonedInstant(date: LocalDate, time: { hour: number; minute: number; second: number }, timeZone: string): Date {
  const { year, month, day } = parseLocalDate(date);
  const wall = Date.UTC(year, month - 1, day, time.hour, time.minute, time.second);
  // No zone changes offset twice within two days, so the offsets a day either
  // side are the only candidates.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const valid = [wall - before, wall - after].filter((t) => offsetAt(t, timeZone) === wall - t);
  if (valid.length > 0) return new Date(Math.max(...valid));
  return new Date(wall - before);
}

/** 23:59:59 local on `date`: when day loans fall due. */
export function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  return zonedInstant(date, { hour: 23, minute: 59, second: 59 }, timeZone);
}

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
