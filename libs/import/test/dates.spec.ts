import { describe, expect, it } from "vitest";
import { addDays, localDateOf, parseDateValue, toInstant, zonedInstant } from "../src/dates.js";

describe("relative and absolute dates", () => {
  const today = "2025-03-12";

  it("reads today, today-N and today+N as local dates relative to the day of loading", () => {
    expect(parseDateValue("today", today)).toEqual({ kind: "local", date: "2025-03-12", time: null });
    expect(parseDateValue("today-10", today)).toEqual({ kind: "local", date: "2025-03-02", time: null });
    expect(parseDateValue("today+30", today)).toEqual({ kind: "local", date: "2025-04-11", time: null });
    expect(parseDateValue("today+1 09:30", today)).toEqual({ kind: "local", date: "2025-03-13", time: [9, 30, 0] });
  });

  it("a date without a time is the start or the end of that day in the institution's zone", () => {
    const value = parseDateValue("today-10", today);
    if (typeof value === "string") throw new Error(value);
    // 2 March 2025 in New York is EST (UTC-5).
    expect(toInstant(value, "America/New_York", "end").toISOString()).toBe("2025-03-03T04:59:59.000Z");
    expect(toInstant(value, "America/New_York", "start").toISOString()).toBe("2025-03-02T05:00:00.000Z");
  });

  it("follows daylight saving time: the end of a summer day in New York is 03:59:59Z", () => {
    expect(zonedInstant("2025-07-01", 23, 59, 59, "America/New_York").toISOString()).toBe("2025-07-02T03:59:59.000Z");
    // 9 March 2025 02:30 does not exist in New York: the instant after the gap.
    expect(zonedInstant("2025-03-09", 2, 30, 0, "America/New_York").toISOString()).toBe("2025-03-09T07:30:00.000Z");
  });

  it("keeps ISO instants with a zone as they are", () => {
    expect(parseDateValue("2025-03-12T15:00:00Z", today)).toEqual({ kind: "instant", instant: new Date("2025-03-12T15:00:00Z") });
  });

  it("refuses what is not a date, naming the forms it accepts", () => {
    expect(parseDateValue("yesterday", today)).toMatch(/not a date/);
    expect(parseDateValue("2025-02-30", today)).toMatch(/not a real date/);
    expect(parseDateValue("today 25:00", today)).toMatch(/not a time of day/);
  });

  it("the day of loading is the local date in the zone, not in UTC", () => {
    const lateEvening = new Date("2025-03-13T02:00:00Z");
    expect(localDateOf(lateEvening, "America/New_York")).toBe("2025-03-12");
    expect(localDateOf(lateEvening, "Europe/Oslo")).toBe("2025-03-13");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
  });
});
