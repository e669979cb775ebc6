import { describe, expect, it } from "vitest";
import { formatSipDate, isoWithOffset, parseSipDate, type SipDateResult } from "../src/index.js";

const NY = { timeZone: "America/New_York" };

function instant(r: SipDateResult): string | null | undefined {
  if (!r.ok) return undefined;
  return r.date === null ? null : r.date.toISOString();
}

describe("parseSipDate", () => {
  it("reads four blanks as local time in the given zone (winter, UTC−5)", () => {
    expect(instant(parseSipDate("20250115    103000", NY))).toBe("2025-01-15T15:30:00.000Z");
  });

  it("reads four blanks as local time in the given zone (summer, UTC−4)", () => {
    expect(instant(parseSipDate("20250715    103000", NY))).toBe("2025-07-15T14:30:00.000Z");
  });

  it("reads the same wall time differently in another zone", () => {
    expect(instant(parseSipDate("20250115    103000", { timeZone: "Europe/Oslo" }))).toBe("2025-01-15T09:30:00.000Z");
  });

  it("resolves the repeated hour when clocks go back to the earlier instant", () => {
    // 2025-11-02 01:30 happens twice in New York: EDT (05:30Z) then EST (06:30Z).
    expect(instant(parseSipDate("20251102    013000", NY))).toBe("2025-11-02T05:30:00.000Z");
  });

  it("moves a skipped time (clocks go forward) forward by the gap", () => {
    // 2025-03-09 02:30 does not exist in New York; it is read as 03:30 EDT.
    expect(instant(parseSipDate("20250309    023000", NY))).toBe("2025-03-09T07:30:00.000Z");
  });

  it("reads '   Z' as UTC regardless of the zone option", () => {
    const r = parseSipDate("20250115   Z153000", NY);
    expect(instant(r)).toBe("2025-01-15T15:30:00.000Z");
    expect(r.ok && r.date && r.zone).toBe("utc");
  });

  it.each([
    ["A", 1],
    ["I", 9],
    ["K", 10],
    ["M", 12],
    ["N", -1],
    ["Q", -4],
    ["Y", -12],
  ])("reads military zone letter %s as an offset of %i hours", (letter, hours) => {
    const r = parseSipDate(`20250115   ${letter}120000`, NY);
    const expected = new Date(Date.UTC(2025, 0, 15, 12 - hours, 0, 0)).toISOString();
    expect(instant(r)).toBe(expected);
    expect(r.ok && r.date && r.offsetMinutes).toBe(hours * 60);
  });

  it("accepts a lower-case zone letter", () => {
    expect(instant(parseSipDate("20250115   z153000", NY))).toBe("2025-01-15T15:30:00.000Z");
  });

  it("rejects J, which is not a zone letter", () => {
    expect(parseSipDate("20250115   J153000", NY).ok).toBe(false);
  });

  it("reads 18 blanks as no date", () => {
    expect(parseSipDate(" ".repeat(18), NY)).toEqual({ ok: true, date: null });
  });

  it("reads 18 zeros (98 date/time sync: unsupported) as no date", () => {
    expect(parseSipDate("0".repeat(18), NY)).toEqual({ ok: true, date: null });
  });

  it.each([
    ["wrong length", "20250115 103000"],
    ["letters in the date", "2025O115    103000"],
    ["month 13", "20251315    103000"],
    ["30 February", "20250230    103000"],
    ["hour 24", "20250115    243000"],
    ["minute 60", "20250115    106000"],
    ["year 0", "00000115    103000"],
    ["zone not right-aligned", "20250115 Z  103000"],
  ])("rejects an invalid date (%s)", (_why, raw) => {
    const r = parseSipDate(raw, NY);
    expect(r.ok).toBe(false);
  });

  it("returns an error, not an exception, for an unknown time zone", () => {
    expect(parseSipDate("20250115    103000", { timeZone: "Mars/Olympus" })).toMatchObject({ ok: false });
  });
});

describe("formatSipDate", () => {
  const t = new Date("2025-01-15T15:30:00Z");

  it("writes local time in the zone with four blanks", () => {
    expect(formatSipDate(t, NY)).toBe("20250115    103000");
    expect(formatSipDate(new Date("2025-07-15T14:30:00Z"), NY)).toBe("20250715    103000");
  });

  it("writes UTC with '   Z' when asked", () => {
    expect(formatSipDate(t, { ...NY, style: "utc" })).toBe("20250115   Z153000");
  });

  it("always gives 18 characters", () => {
    expect(formatSipDate(new Date("0999-03-04T05:06:07Z"), { timeZone: "UTC" })).toBe("09990304    050607");
  });

  it("round-trips through parseSipDate for non-ambiguous local times", () => {
    for (const iso of ["2025-03-09T06:59:59Z", "2025-03-09T07:00:00Z", "2025-11-02T07:00:00Z", "2024-02-29T12:00:00Z"]) {
      const d = new Date(iso);
      expect(instant(parseSipDate(formatSipDate(d, NY), NY))).toBe(d.toISOString());
    }
  });

  it("throws for an invalid Date (a programming error)", () => {
    expect(() => formatSipDate(new Date(Number.NaN), NY)).toThrow(RangeError);
  });
});

describe("isoWithOffset", () => {
  it("renders the stated offset", () => {
    expect(isoWithOffset(new Date("2025-01-15T15:30:00Z"), -300)).toBe("2025-01-15T10:30:00-05:00");
    expect(isoWithOffset(new Date("2025-01-15T15:30:00Z"), 0)).toBe("2025-01-15T15:30:00Z");
    expect(isoWithOffset(new Date("2025-01-15T15:30:00Z"), 330)).toBe("2025-01-15T21:00:00+05:30");
  });
});
