/**
 * A calendar date with no time and no zone, written `YYYY-MM-DD`.
 *
 * Expiry and birth dates are local dates on purpose: a card that "expires on
 * 31 March" is valid for the whole of 31 March in the library's own zone, and
 * storing it as an instant would move that day for anyone reading it in UTC.
 * The ISO form also sorts correctly as a plain string, which the expiry rule
 * relies on.
 */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date in `YYYY-MM-DD` form (rejects 2025-02-30). */
export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear undoes that.
  d.setUTCFullYear(year);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

// Building an Intl.DateTimeFormat costs far more than using one; the set of
// zones is tiny (one per institution), so the cache stays small.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError on an unknown zone: that is broken configuration, not
    // a refusal, so it is left to surface.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "iso8601",
      numberingSystem: "latn",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local date an instant falls on in an IANA time zone. */
export function localDateAt(instant: Date, timeZone: string): LocalDate {
  let year = "";
  let month = "";
  let day = "";
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type === "year") year = part.value;
    else if (part.type === "month") month = part.value;
    else if (part.type === "day") day = part.value;
  }
  return `${year.padStart(4, "0")}-${month}-${day}`;
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
function zoneOffsetMs(instant: number, timeZone: string): number {
  let f = timeFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "iso8601",
      numberingSystem: "latn",
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    timeFormatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(instant))) p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return asUtc - (instant - (instant % 1000));
}

/**
 * The first instant of a local date in a zone (00:00 local, or the first
 * existing time when a DST change skips midnight). Two passes settle the
 * offset even when the day starts on the other side of a transition.
 */
export function startOfLocalDate(date: LocalDate, timeZone: string): Date {
  const m = LOCAL_DATE.exec(date);
  if (!m || !isLocalDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const midnightUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  let guess = midnightUtc - zoneOffsetMs(midnightUtc, timeZone);
  guess = midnightUtc - zoneOffsetMs(guess, timeZone);
  return new Date(guess);
}

/** The day after a local date. */
export function nextLocalDate(date: LocalDate): LocalDate {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
  return d.toISOString().slice(0, 10);
}

/**
 * The instant a card with this expiry date stops working: the start of the
 * next day in the home zone (the card is valid for the whole expiry day).
 */
export function expiryInstant(expiryDate: LocalDate, timeZone: string): Date {
  return startOfLocalDate(nextLocalDate(expiryDate), timeZone);
}

/**
 * The expiry date of a card that stops working at `end`: the local day of the
 * last millisecond it still works. An `end` that is not at a local midnight
 * is rounded up to the end of its day (the card works that whole day).
 */
export function expiryDateOf(end: Date, timeZone: string): LocalDate {
  return localDateAt(new Date(end.getTime() - 1), timeZone);
}
