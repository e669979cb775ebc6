/**
 * Dates in import documents: absolute (`2025-03-12`, `2025-03-12T15:00:00Z`) or
 * relative to the day of loading (`today`, `today-10`, `today+14`), so a demo or
 * test library keeps its shape (a loan 10 days overdue) whenever it is loaded.
 * Local dates are read in the record's institution's zone. Pure: "now" is a parameter.
 */

import { addDays, isLocalDate, type LocalDate, localDateOf, zonedInstant as zonedAt } from "@circulate/domain";

export { addDays, isTimeZone, type LocalDate, localDateOf } from "@circulate/domain";

/** Which time a date without one stands for: the first or the last second of that day. */
export type DayEdge = "start" | "end";

const RELATIVE = /^today(?:([+-])(\d{1,5}))?(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const ABSOLUTE_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The instant at which the wall clock in `zone` shows `date` `h:min:s`. In a
 * DST gap the clock jumps over the time, and the instant after the gap is
 * taken; in an overlap, the earlier one.
 */
export function zonedInstant(date: LocalDate, h: number, min: number, s: number, zone: string): Date {
  return zonedAt(date, { hour: h, minute: min, second: s }, zone, "earlier");
}

/** A parsed date or time value; `problem` explains why it is not one. */
export type DateValue =
  | { readonly kind: "instant"; readonly instant: Date }
  | { readonly kind: "local"; readonly date: LocalDate; readonly time: readonly [number, number, number] | null };

/**
 * Parses a date value relative to `today` (the local date of loading in the
 * record's zone). Returns a string describing the problem when it is not one.
 */
export function parseDateValue(text: string, today: LocalDate): DateValue | string {
  const value = text.trim();
  const rel = RELATIVE.exec(value);
  if (rel) {
    const [, sign, n, h, min, s] = rel;
    const days = n === undefined ? 0 : (sign === "-" ? -1 : 1) * Number(n);
    const time = timeOf(h, min, s);
    if (typeof time === "string") return time;
    return { kind: "local", date: addDays(today, days), time };
  }
  if (ISO_INSTANT.test(value)) {
    const instant = new Date(value);
    if (Number.isNaN(instant.getTime())) return `${JSON.stringify(text)} is not a valid time`;
    return { kind: "instant", instant };
  }
  const abs = ABSOLUTE_DATE.exec(value);
  if (abs) {
    const [, y, m, d, h, min, s] = abs;
    if (!isLocalDate(`${y}-${m}-${d}`)) return `${JSON.stringify(text)} is not a real date`;
    const time = timeOf(h, min, s);
    if (typeof time === "string") return time;
    return { kind: "local", date: `${y}-${m}-${d}`, time };
  }
  return `${JSON.stringify(text)} is not a date: use YYYY-MM-DD, an ISO 8601 time with a zone, "today", "today-N" or "today+N" (optionally followed by HH:MM)`;
}

function timeOf(h: string | undefined, min: string | undefined, s: string | undefined): readonly [number, number, number] | null | string {
  if (h === undefined || min === undefined) return null;
  const t = [Number(h), Number(min), Number(s ?? 0)] as const;
  if (t[0] > 23 || t[1] > 59 || t[2] > 59) return `${h}:${min}${s ? `:${s}` : ""} is not a time of day`;
  return t;
}

/**
 * The instant a date value stands for in `zone`. A date without a time is the
 * start (00:00:00) or the end (23:59:59) of that day, as the field says: a due
 * date or an expiry means "until the end of that day".
 */
export function toInstant(value: DateValue, zone: string, edge: DayEdge): Date {
  if (value.kind === "instant") return value.instant;
  const [h, min, s] = value.time ?? (edge === "end" ? [23, 59, 59] : [0, 0, 0]);
  return zonedInstant(value.date, h, min, s, zone);
}

/** The local date a date value stands for in `zone` (an instant is read in the zone). */
export function toLocalDate(value: DateValue, zone: string): LocalDate {
  return value.kind === "instant" ? localDateOf(value.instant, zone) : value.date;
}
