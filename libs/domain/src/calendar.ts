/**
 * Local calendar dates in an institution's IANA time zone, with no date library:
 * `Intl.DateTimeFormat` tells us the wall-clock time of an instant in a zone, and
 * everything else is integer arithmetic on local dates.
 *
 * Conventions:
 * - An instant is a `Date`; a local date is `YYYY-MM-DD` in the institution's zone.
 *   The ISO form sorts correctly as a plain string, which callers rely on.
 * - An unknown time zone makes `Intl` throw a `RangeError`: that is a broken
 *   configuration, not a refusal, so only {@link isTimeZone} catches it.
 * - Which days are closed is data ({@link Calendar}); what a closed day means for a
 *   due date or a fine is each service's rule, not this module's.
 */

/** A calendar date with no time and no zone, `YYYY-MM-DD`. */
export type LocalDate = string;

/** A wall-clock time of day. */
export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/**
 * Which instant a wall-clock time means when it happens twice (the clocks go back):
 * the earlier or the later one. A time that does not happen at all (the clocks go
 * forward) always means the instant just after the gap.
 */
export type Disambiguation = "earlier" | "later";

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

/** A calendar with every weekday closed has no open day: a broken config, not a refusal. */
export class NoOpenDayError extends Error {
  override readonly name = "NoOpenDayError";
}

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Far enough for any real holiday run; a longer search means the calendar is broken. */
const MAX_CLOSED_RUN_DAYS = 366;

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** True for a real calendar date in `YYYY-MM-DD` form (rejects 2025-02-30). */
export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(utcMs(year, month, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Days since 1970-01-01 (negative before). Throws RangeError for anything but a real `YYYY-MM-DD` date. */
export function epochDay(date: LocalDate): number {
  if (!isLocalDate(date)) throw new RangeError(`not a local date (YYYY-MM-DD): ${date}`);
  return Math.round(utcMs(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))) / DAY_MS);
}

/** The local date `days` days after 1970-01-01. */
export function fromEpochDay(days: number): LocalDate {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar arithmetic on local dates (no zone involved: a day is a day, DST or not). */
export function addDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(epochDay(date) + days);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return epochDay(to) - epochDay(from);
}

export function weekdayOf(date: LocalDate): Weekday {
  // 1970-01-01 was a Thursday.
  return WEEKDAYS[(((epochDay(date) + 4) % 7) + 7) % 7]!;
}

/** The institution's calendar date at an instant. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const w = wallClock(instant.getTime(), timeZone);
  return `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

/**
 * The instant at which the zone's wall clock reads `time` on `date`. A time that
 * happens twice resolves as `disambiguation` says; a time that does not happen
 * (the clocks go forward, or a skipped day) is read with the offset in force before
 * the jump, which lands just after the gap.
 */
export function zonedInstant(date: LocalDate, time: TimeOfDay, timeZone: string, disambiguation: Disambiguation = "earlier"): Date {
  const wall = epochDay(date) * DAY_MS + ((time.hour * 60 + time.minute) * 60 + time.second) * 1000;
  // No zone changes offset twice within two days, so the offsets a day either
  // side are the only candidates.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const valid = [wall - before, wall - after].filter((t) => offsetAt(t, timeZone) === wall - t);
  if (valid.length > 0) return new Date(disambiguation === "later" ? Math.max(...valid) : Math.min(...valid));
  return new Date(wall - before);
}

/** The first instant of a local date: 00:00, or the first time after a gap that skips midnight. */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  return zonedInstant(date, { hour: 0, minute: 0, second: 0 }, timeZone, "earlier");
}

/** 23:59:59 local on `date`, the later one when it happens twice: "until the end of that day". */
export function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  return zonedInstant(date, { hour: 23, minute: 59, second: 59 }, timeZone, "later");
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

/** Milliseconds since the epoch of 00:00 UTC on a date; years 0–99 are not moved to 1900–1999. */
function utcMs(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

// Building a DateTimeFormat costs far more than using one; zones are few (one per institution).
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

function wallClock(instantMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
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

/** Offset of the zone from UTC at an instant, in ms: the wall clock read as UTC minus the instant. */
function offsetAt(instantMs: number, timeZone: string): number {
  const w = wallClock(instantMs, timeZone);
  const wallAsUtc = utcMs(w.year, w.month, w.day) + ((w.hour * 60 + w.minute) * 60 + w.second) * 1000;
  return wallAsUtc - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}
