/**
 * The SIP2 18-character date `YYYYMMDDZZZZHHMMSS` (sip2-reference.md §1.5).
 *
 * ZZZZ is four blanks for local time (what nearly every implementation sends), `   Z` for
 * UTC, or a military zone letter in the rightmost position: A–I = +1..+9 h, K = +10,
 * L = +11, M = +12, N–Y = −1..−12 (J unused). "Local" means the library's time zone, which
 * the caller must always pass as an IANA name: nothing here falls back to the host zone
 * or to UTC silently.
 */

/** How an 18-char date states its zone. */
export type SipDateZone = "local" | "utc" | "military";

/** Result of {@link parseSipDate}. `date: null` means "no date" (18 blanks or 18 zeros). */
export type SipDateResult =
  | { ok: true; date: Date; zone: SipDateZone; offsetMinutes: number }
  | { ok: true; date: null }
  | { ok: false; reason: string };

/** Options for reading and writing local SIP dates. */
export interface SipDateOptions {
  /** IANA time zone of the library, used for dates sent with four blank zone characters. */
  timeZone: string;
}

const BLANK = " ".repeat(18);
const ZEROS = "0".repeat(18);
const DATE_RE = /^(\d{4})(\d{2})(\d{2})(.{4})(\d{2})(\d{2})(\d{2})$/;

/** Offset in hours of a military zone letter (upper-case), or undefined. */
function militaryOffsetHours(letter: string): number | undefined {
  if (letter === "Z") return 0;
  const c = letter.charCodeAt(0);
  if (c >= 0x41 && c <= 0x49) return c - 0x40; // A..I = +1..+9
  if (c >= 0x4b && c <= 0x4d) return c - 0x41; // K..M = +10..+12
  if (c >= 0x4e && c <= 0x59) return -(c - 0x4d); // N..Y = -1..-12
  return undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      era: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Wall-clock fields of instant `t` (ms) in `timeZone`, straight from Intl. Throws RangeError for an unknown zone. */
function intlWallClock(t: number, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  const bc = parts.find((p) => p.type === "era")?.value === "BC";
  return {
    year: bc ? 1 - get("year") : get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
    second: get("second"),
  };
}

function utcMs(w: WallClock): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}

function intlOffsetMs(t: number, timeZone: string): number {
  const whole = Math.floor(t / 1000) * 1000;
  return utcMs(intlWallClock(whole, timeZone)) - whole;
}

const HOUR = 3_600_000;
const MAX_CACHED_HOURS = 4096;
const offsetCache = new Map<string, Map<number, number>>();

/**
 * Offset of `timeZone` from UTC at instant `t`, in ms (local = UTC + offset).
 * Intl is slow, so offsets are cached per zone and UTC hour — but only for hours whose
 * offset is the same at both ends (no zone changes its offset twice within an hour).
 */
export function zoneOffsetMs(t: number, timeZone: string): number {
  const hour = Math.floor(t / HOUR);
  let zone = offsetCache.get(timeZone);
  const hit = zone?.get(hour);
  if (hit !== undefined) return hit;
  const start = hour * HOUR;
  const first = intlOffsetMs(start, timeZone);
  if (first !== intlOffsetMs(start + HOUR - 1000, timeZone)) return intlOffsetMs(t, timeZone);
  if (!zone) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  if (zone.size >= MAX_CACHED_HOURS) zone.clear();
  zone.set(hour, first);
  return first;
}

/** Wall-clock fields of instant `t` (ms) in `timeZone`. Throws RangeError for an unknown zone. */
export function wallClock(t: number, timeZone: string): WallClock {
  const d = new Date(Math.floor(t / 1000) * 1000 + zoneOffsetMs(t, timeZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/**
 * Instant of a local wall-clock time in `timeZone`. Ambiguous times (the repeated hour when
 * clocks go back) resolve to the earlier instant; skipped times (clocks go forward) move
 * forward by the gap — the same rule as Temporal's "compatible" disambiguation.
 */
function localToInstant(w: WallClock, timeZone: string): number {
  const asUtc = utcMs(w);
  const day = 86_400_000;
  const candidates = [zoneOffsetMs(asUtc - day, timeZone), zoneOffsetMs(asUtc + day, timeZone)];
  const valid = candidates.map((off) => asUtc - off).filter((t) => zoneOffsetMs(t, timeZone) === asUtc - t);
  if (valid.length > 0) return Math.min(...valid);
  return asUtc - candidates[0]!;
}

/**
 * Parses an 18-char SIP date. Blanks or zeros (18 of either) → `date: null` ("none").
 * Local dates are read in `options.timeZone`. Never throws.
 */
export function parseSipDate(raw: string, options: SipDateOptions): SipDateResult {
  if (raw === BLANK || raw === ZEROS) return { ok: true, date: null };
  const m = DATE_RE.exec(raw);
  if (!m) return { ok: false, reason: `not a YYYYMMDDZZZZHHMMSS date: ${JSON.stringify(raw)}` };
  const w: WallClock = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[5]),
    minute: Number(m[6]),
    second: Number(m[7]),
  };
  const zz = m[4]!;
  const check = new Date(utcMs(w));
  if (
    w.year < 1 ||
    check.getUTCMonth() !== w.month - 1 ||
    check.getUTCDate() !== w.day ||
    w.hour > 23 ||
    w.minute > 59 ||
    w.second > 59
  ) {
    return { ok: false, reason: `no such date or time: ${JSON.stringify(raw)}` };
  }
  if (zz === "    ") {
    try {
      const t = localToInstant(w, options.timeZone);
      return { ok: true, date: new Date(t), zone: "local", offsetMinutes: (utcMs(w) - t) / 60_000 };
    } catch {
      return { ok: false, reason: `unknown time zone ${JSON.stringify(options.timeZone)}` };
    }
  }
  const hours = zz.startsWith("   ") ? militaryOffsetHours(zz[3]!.toUpperCase()) : undefined;
  if (hours === undefined) return { ok: false, reason: `unknown zone ${JSON.stringify(zz)} in ${JSON.stringify(raw)}` };
  return {
    ok: true,
    date: new Date(utcMs(w) - hours * 3_600_000),
    zone: hours === 0 && zz[3]!.toUpperCase() === "Z" ? "utc" : "military",
    offsetMinutes: hours * 60,
  };
}

/** Options for {@link formatSipDate}. */
export interface FormatSipDateOptions extends SipDateOptions {
  /** `local` (default): wall time in `timeZone` with four blanks; `utc`: UTC time with `   Z`. */
  style?: "local" | "utc";
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/**
 * Formats an instant as an 18-char SIP date. Throws RangeError for an invalid Date, a year
 * outside 1–9999, or an unknown time zone (programming errors, not data errors).
 */
export function formatSipDate(date: Date, options: FormatSipDateOptions): string {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new RangeError("formatSipDate: invalid Date");
  const utc = options.style === "utc";
  const w = utc
    ? {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: date.getUTCHours(),
        minute: date.getUTCMinutes(),
        second: date.getUTCSeconds(),
      }
    : wallClock(t, options.timeZone);
  if (w.year < 1 || w.year > 9999) throw new RangeError(`formatSipDate: year ${w.year} does not fit in 4 digits`);
  return (
    pad(w.year, 4) +
    pad(w.month, 2) +
    pad(w.day, 2) +
    (utc ? "   Z" : "    ") +
    pad(w.hour, 2) +
    pad(w.minute, 2) +
    pad(w.second, 2)
  );
}

/** Blank date (18 spaces): "no date", e.g. an unused nb due date. */
export const BLANK_SIP_DATE = BLANK;
/** 18 zeros: "not supported" (98 date/time sync). */
export const ZERO_SIP_DATE = ZEROS;

/**
 * Renders a parsed SIP date for people: ISO 8601 with the offset the message stated (local
 * dates in `timeZone`'s offset, `Z` for UTC), e.g. `2025-01-15T10:30:00-05:00`.
 */
export function isoWithOffset(date: Date, offsetMinutes: number): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}
