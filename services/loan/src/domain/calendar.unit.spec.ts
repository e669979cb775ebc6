import { describe, expect, it } from "vitest";
import {
  ALWAYS_OPEN,
  addDays,
  type Calendar,
  daysBetween,
  dueDate,
  endOfLocalDay,
  isOpen,
  lateness,
  localDateOf,
  NoOpenDayError,
  nextOpenDay,
  onOpenDay,
  weekdayOf,
} from "./calendar.js";

const BERLIN = "Europe/Berlin";
const days = (length: number) => ({ unit: "days", length }) as const;
const hours = (length: number) => ({ unit: "hours", length }) as const;
const iso = (d: Date) => d.toISOString();
const closedSundays: Calendar = { closedDates: [], closedWeekdays: ["sun"] };

describe("local dates", () => {
  it("reads the calendar date in the institution's zone, not UTC", () => {
    expect(localDateOf(new Date("2025-03-12T23:30:00Z"), BERLIN)).toBe("2025-03-13");
    expect(localDateOf(new Date("2025-03-13T03:30:00Z"), "America/New_York")).toBe("2025-03-12");
  });

  it("adds and counts days across month and year ends", () => {
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-03-01", -1)).toBe("2025-02-28");
    expect(daysBetween("2024-12-30", "2025-01-02")).toBe(3);
    expect(daysBetween("2025-01-02", "2024-12-30")).toBe(-3);
  });

  it("names weekdays", () => {
    expect(weekdayOf("2025-03-16")).toBe("sun");
    expect(weekdayOf("2025-03-12")).toBe("wed");
  });

  it("rejects a malformed local date", () => {
    expect(() => addDays("12/03/2025", 1)).toThrow(RangeError);
  });
});

describe("closed days", () => {
  const calendar: Calendar = { closedDates: ["2025-12-25", "2025-12-26"], closedWeekdays: ["sun"] };

  it("a date is closed when listed or on a closed weekday", () => {
    expect(isOpen(calendar, "2025-12-24")).toBe(true);
    expect(isOpen(calendar, "2025-12-25")).toBe(false);
    expect(isOpen(calendar, "2025-12-28")).toBe(false);
  });

  it("the next open day skips a run of closed days", () => {
    expect(nextOpenDay(calendar, "2025-12-25")).toBe("2025-12-27");
    expect(nextOpenDay(calendar, "2025-12-27")).toBe("2025-12-27");
  });

  it("a calendar closed every weekday is a broken config, not an endless loop", () => {
    const never: Calendar = { closedDates: [], closedWeekdays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] };
    expect(() => nextOpenDay(never, "2025-03-12")).toThrow(NoOpenDayError);
  });
});

describe("due dates", () => {
  it("day loans fall due at 23:59:59 local time on the due day", () => {
    // Wed 12 March 11:00 CET + 14 days = Wed 26 March, 23:59:59 CET.
    expect(iso(dueDate(new Date("2025-03-12T10:00:00Z"), days(14), ALWAYS_OPEN, BERLIN))).toBe("2025-03-26T22:59:59.000Z");
  });

  it("day loans count days from the local date, so a loan just after local midnight gets its full period", () => {
    // 00:30 on 13 March in Berlin is still 12 March in UTC.
    expect(iso(dueDate(new Date("2025-03-12T23:30:00Z"), days(1), ALWAYS_OPEN, BERLIN))).toBe("2025-03-14T22:59:59.000Z");
  });

  it("a zero-day loan is due at the end of today", () => {
    expect(iso(dueDate(new Date("2025-03-12T10:00:00Z"), days(0), ALWAYS_OPEN, BERLIN))).toBe("2025-03-12T22:59:59.000Z");
  });

  it("day loans due after the spring DST change end at 23:59:59 summer time", () => {
    // DST starts 30 March 2025 in Berlin: the due day is in CEST (UTC+2).
    expect(iso(dueDate(new Date("2025-03-20T10:00:00Z"), days(14), ALWAYS_OPEN, BERLIN))).toBe("2025-04-03T21:59:59.000Z");
  });

  it("day loans due after the autumn DST change end at 23:59:59 winter time", () => {
    expect(iso(dueDate(new Date("2025-10-20T10:00:00Z"), days(14), ALWAYS_OPEN, BERLIN))).toBe("2025-11-03T22:59:59.000Z");
  });

  it("day loans work in zones west of UTC", () => {
    expect(iso(dueDate(new Date("2025-07-01T15:00:00Z"), days(21), ALWAYS_OPEN, "America/New_York"))).toBe("2025-07-23T03:59:59.000Z");
  });

  it("a due date never falls on a closed weekday: it moves to the next open day", () => {
    // Sun 2 March + 14 days = Sun 16 March, closed → Mon 17 March.
    expect(iso(dueDate(new Date("2025-03-02T10:00:00Z"), days(14), closedSundays, BERLIN))).toBe("2025-03-17T22:59:59.000Z");
  });

  it("a due date never falls on a closed holiday run: it moves past all of it", () => {
    const calendar: Calendar = { closedDates: ["2025-12-25", "2025-12-26"], closedWeekdays: ["sun"] };
    // 11 Dec + 14 = Thu 25 Dec; 25, 26 closed → Sat 27 Dec.
    expect(iso(dueDate(new Date("2025-12-11T10:00:00Z"), days(14), calendar, BERLIN))).toBe("2025-12-27T22:59:59.000Z");
  });

  it("hour loans fall due after that many elapsed hours", () => {
    expect(iso(dueDate(new Date("2025-03-12T10:00:00Z"), hours(3), ALWAYS_OPEN, BERLIN))).toBe("2025-03-12T13:00:00.000Z");
  });

  it("hour loans count real hours across a DST change", () => {
    // The night of 29–30 March has 23 wall-clock hours in Berlin; 24 loan hours are 24 real hours.
    expect(iso(dueDate(new Date("2025-03-29T10:00:00Z"), hours(24), ALWAYS_OPEN, BERLIN))).toBe("2025-03-30T10:00:00.000Z");
  });

  it("an hour loan that would end on a closed day is due at the end of the next open day", () => {
    // Sat 15 March 22:00 CET + 4 h = Sun 02:00 (closed) → Mon 17 March 23:59:59.
    expect(iso(dueDate(new Date("2025-03-15T21:00:00Z"), hours(4), closedSundays, BERLIN))).toBe("2025-03-17T22:59:59.000Z");
  });

  it("an instant on an open day is left as it is", () => {
    const t = new Date("2025-03-12T10:00:00Z");
    expect(onOpenDay(t, closedSundays, BERLIN)).toBe(t);
  });
});

describe("end of a local day around DST", () => {
  it("takes the later 23:59:59 when the clocks go back at midnight and the hour repeats", () => {
    // Santiago leaves DST at 24:00 on 5 April 2025: 23:00–23:59:59 happens twice (UTC−3, then UTC−4).
    expect(iso(endOfLocalDay("2025-04-05", "America/Santiago"))).toBe("2025-04-06T03:59:59.000Z");
  });

  it("lands just after the gap when the local day does not exist", () => {
    // Samoa skipped 30 December 2011 entirely; the end of that day is the end of the 31st.
    expect(iso(endOfLocalDay("2011-12-30", "Pacific/Apia"))).toBe(iso(endOfLocalDay("2011-12-31", "Pacific/Apia")));
  });

  it("is 23:59:59 local on the day the clocks go forward", () => {
    expect(iso(endOfLocalDay("2025-03-30", BERLIN))).toBe("2025-03-30T21:59:59.000Z");
    expect(localDateOf(endOfLocalDay("2025-03-30", BERLIN), BERLIN)).toBe("2025-03-30");
  });
});

describe("lateness", () => {
  const due = new Date("2025-03-14T22:59:59Z"); // Fri 14 March, end of day

  it("a return by the due instant is not late", () => {
    expect(lateness(due, new Date("2025-03-14T22:59:59Z"), closedSundays, BERLIN)).toEqual({ days: 0, openDays: 0 });
  });

  it("counts local calendar days from the due day to the return day", () => {
    // Returned Tue 18 March: Sat, Sun (closed), Mon, Tue = 4 days, 3 open.
    expect(lateness(due, new Date("2025-03-18T09:00:00Z"), closedSundays, BERLIN)).toEqual({ days: 4, openDays: 3 });
  });

  it("a late return on the due day itself (hour loans) counts as one day", () => {
    expect(lateness(new Date("2025-03-14T12:00:00Z"), new Date("2025-03-14T15:00:00Z"), closedSundays, BERLIN)).toEqual({
      days: 1,
      openDays: 1,
    });
  });
});
