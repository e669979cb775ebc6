import { describe, expect, it } from "vitest";
import {
  addDays,
  type Calendar,
  daysBetween,
  endOfLocalDay,
  epochDay,
  fromEpochDay,
  isLocalDate,
  isOpen,
  isTimeZone,
  localDateOf,
  NoOpenDayError,
  nextOpenDay,
  startOfLocalDay,
  weekdayOf,
  zonedInstant,
} from "../src/index.js";

const NEW_YORK = "America/New_York";
const OSLO = "Europe/Oslo";
const iso = (d: Date) => d.toISOString();
const at = (hour: number, minute = 0, second = 0) => ({ hour, minute, second });

describe("local dates", () => {
  it("accepts real YYYY-MM-DD dates only, including years below 100", () => {
    for (const d of ["2024-02-29", "2000-02-29", "0099-01-01", "9999-12-31"]) expect(isLocalDate(d), d).toBe(true);
    for (const d of ["2025-02-29", "2100-02-29", "2025-13-01", "2025-00-10", "2025-1-01", "20250101", "", "2025-01-01T00:00"]) {
      expect(isLocalDate(d), d).toBe(false);
    }
  });

  it("adds days across month and year ends and leap days", () => {
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2025-01-01", -1)).toBe("2024-12-31");
    expect(addDays("2025-01-31", 1)).toBe("2025-02-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2100-02-28", 1)).toBe("2100-03-01");
    expect(addDays("2025-03-12", 365)).toBe("2026-03-12");
  });

  it("counts whole calendar days either way, and round-trips through epoch days", () => {
    expect(daysBetween("2024-12-30", "2025-01-02")).toBe(3);
    expect(daysBetween("2025-01-02", "2024-12-30")).toBe(-3);
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(epochDay("1970-01-01")).toBe(0);
    expect(epochDay("1969-12-31")).toBe(-1);
    expect(fromEpochDay(epochDay("2028-02-29"))).toBe("2028-02-29");
  });

  it("names weekdays, before 1970 too", () => {
    expect(weekdayOf("1970-01-01")).toBe("thu");
    expect(weekdayOf("1969-12-31")).toBe("wed");
    expect(weekdayOf("2025-03-16")).toBe("sun");
  });

  it("throws RangeError for what is not a real date: a programming error, not data", () => {
    expect(() => addDays("12/03/2025", 1)).toThrow(RangeError);
    expect(() => daysBetween("2025-02-30", "2025-03-01")).toThrow(RangeError);
  });
});

describe("time zones", () => {
  it("knows IANA zones and nothing else", () => {
    expect(isTimeZone(OSLO)).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("")).toBe(false);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(() => localDateOf(new Date(), "Mars/Olympus_Mons")).toThrow(RangeError);
  });

  it("gives the local date of an instant, across a year end", () => {
    const instant = new Date("2025-12-31T23:30:00Z");
    expect(localDateOf(instant, "UTC")).toBe("2025-12-31");
    expect(localDateOf(instant, OSLO)).toBe("2026-01-01");
    expect(localDateOf(new Date("2026-01-01T04:30:00Z"), NEW_YORK)).toBe("2025-12-31");
    expect(localDateOf(new Date("2026-01-01T05:00:00Z"), NEW_YORK)).toBe("2026-01-01");
  });

  it("New York, clocks forward (9 March 2025, 02:00 → 03:00): a skipped time lands after the gap", () => {
    expect(iso(zonedInstant("2025-03-09", at(1, 59, 59), NEW_YORK))).toBe("2025-03-09T06:59:59.000Z");
    expect(iso(zonedInstant("2025-03-09", at(2, 30), NEW_YORK))).toBe("2025-03-09T07:30:00.000Z");
    expect(iso(zonedInstant("2025-03-09", at(2, 30), NEW_YORK, "later"))).toBe("2025-03-09T07:30:00.000Z");
    expect(iso(zonedInstant("2025-03-09", at(3), NEW_YORK))).toBe("2025-03-09T07:00:00.000Z");
    expect(iso(startOfLocalDay("2025-03-09", NEW_YORK))).toBe("2025-03-09T05:00:00.000Z");
    expect(iso(endOfLocalDay("2025-03-09", NEW_YORK))).toBe("2025-03-10T03:59:59.000Z");
  });

  it("New York, clocks back (2 November 2025, 02:00 → 01:00): a repeated time is the earlier or the later one", () => {
    expect(iso(zonedInstant("2025-11-02", at(1, 30), NEW_YORK))).toBe("2025-11-02T05:30:00.000Z");
    expect(iso(zonedInstant("2025-11-02", at(1, 30), NEW_YORK, "later"))).toBe("2025-11-02T06:30:00.000Z");
    expect(iso(endOfLocalDay("2025-11-02", NEW_YORK))).toBe("2025-11-03T04:59:59.000Z");
  });

  it("Oslo, clocks forward (30 March 2025, 02:00 → 03:00): a skipped time lands after the gap", () => {
    expect(iso(zonedInstant("2025-03-30", at(2, 30), OSLO))).toBe("2025-03-30T01:30:00.000Z");
    expect(localDateOf(zonedInstant("2025-03-30", at(2, 30), OSLO), OSLO)).toBe("2025-03-30");
    expect(iso(startOfLocalDay("2025-03-30", OSLO))).toBe("2025-03-29T23:00:00.000Z");
    expect(iso(startOfLocalDay("2025-03-31", OSLO))).toBe("2025-03-30T22:00:00.000Z");
    expect(iso(endOfLocalDay("2025-03-30", OSLO))).toBe("2025-03-30T21:59:59.000Z");
  });

  it("Oslo, clocks back (26 October 2025, 03:00 → 02:00): a repeated time is the earlier or the later one", () => {
    expect(iso(zonedInstant("2025-10-26", at(2, 30), OSLO, "earlier"))).toBe("2025-10-26T00:30:00.000Z");
    expect(iso(zonedInstant("2025-10-26", at(2, 30), OSLO, "later"))).toBe("2025-10-26T01:30:00.000Z");
    expect(iso(endOfLocalDay("2025-10-26", OSLO))).toBe("2025-10-26T22:59:59.000Z");
  });

  it("the end of a day that happens twice at midnight is the later 23:59:59", () => {
    // Santiago leaves DST at 24:00 on 5 April 2025: 23:00–23:59:59 happens twice (UTC−3, then UTC−4).
    expect(iso(zonedInstant("2025-04-05", at(23, 59, 59), "America/Santiago"))).toBe("2025-04-06T02:59:59.000Z");
    expect(iso(endOfLocalDay("2025-04-05", "America/Santiago"))).toBe("2025-04-06T03:59:59.000Z");
  });

  it("a day whose midnight is skipped starts just after the gap, on that day and not the day before", () => {
    // Santiago moves 00:00 → 01:00 on 7 September 2025; Beirut on 30 March 2025.
    expect(iso(startOfLocalDay("2025-09-07", "America/Santiago"))).toBe("2025-09-07T04:00:00.000Z");
    expect(localDateOf(startOfLocalDay("2025-09-07", "America/Santiago"), "America/Santiago")).toBe("2025-09-07");
    expect(iso(startOfLocalDay("2025-03-30", "Asia/Beirut"))).toBe("2025-03-29T22:00:00.000Z");
    expect(localDateOf(startOfLocalDay("2025-03-30", "Asia/Beirut"), "Asia/Beirut")).toBe("2025-03-30");
  });

  it("counts a 23-hour and a 25-hour day as one calendar day each", () => {
    const shortDay = startOfLocalDay("2025-03-10", NEW_YORK).getTime() - startOfLocalDay("2025-03-09", NEW_YORK).getTime();
    const longDay = startOfLocalDay("2025-10-27", OSLO).getTime() - startOfLocalDay("2025-10-26", OSLO).getTime();
    expect(shortDay / 3_600_000).toBe(23);
    expect(longDay / 3_600_000).toBe(25);
    // Due at the end of Saturday 8 March, back on Monday morning: two days, not 47 hours' worth of days.
    const due = endOfLocalDay("2025-03-08", NEW_YORK);
    const back = zonedInstant("2025-03-10", at(9), NEW_YORK);
    expect(daysBetween(localDateOf(due, NEW_YORK), localDateOf(back, NEW_YORK))).toBe(2);
    expect(daysBetween(localDateOf(endOfLocalDay("2025-10-25", OSLO), OSLO), localDateOf(new Date("2025-10-26T23:30:00Z"), OSLO))).toBe(2);
  });
});

describe("closed days", () => {
  const calendar: Calendar = { closedDates: ["2025-12-31", "2026-01-01"], closedWeekdays: ["sun"] };

  it("is closed on listed dates and closed weekdays", () => {
    expect(isOpen(calendar, "2025-12-30")).toBe(true);
    expect(isOpen(calendar, "2025-12-31")).toBe(false);
    expect(isOpen(calendar, "2025-12-28")).toBe(false);
  });

  it("the next open day skips a whole closed run, across a year end", () => {
    // Wed 31 Dec and Thu 1 Jan closed → Fri 2 Jan; Sun 4 Jan closed → Mon 5 Jan.
    expect(nextOpenDay(calendar, "2025-12-31")).toBe("2026-01-02");
    expect(nextOpenDay(calendar, "2026-01-04")).toBe("2026-01-05");
    expect(nextOpenDay(calendar, "2026-01-02")).toBe("2026-01-02");
  });

  it("a calendar with no open day is a broken configuration", () => {
    const never: Calendar = { closedDates: [], closedWeekdays: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] };
    expect(() => nextOpenDay(never, "2025-03-12")).toThrow(NoOpenDayError);
  });
});
