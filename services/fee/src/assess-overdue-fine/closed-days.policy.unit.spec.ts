import { describe, expect, it } from "vitest";
import { calendarProblem, closedDaysWithin } from "./closed-days.policy.js";
import { assessOverdueFine } from "./overdue-fine.policy.js";

const none = { closedWeekdays: [], closedDates: [] };

describe("closed days within a late period", () => {
  it("expands closed weekdays over the days after the due day up to the return day", () => {
    // 2025-03-03 is a Monday; returned Monday 2025-03-17: Sundays 9th and 16th fall within.
    const days = closedDaysWithin("2025-03-03T22:59:59Z", "2025-03-17T09:00:00Z", "Europe/Paris", { closedWeekdays: [0], closedDates: [] });
    expect(days).toEqual(["2025-03-09", "2025-03-16"]);
  });

  it("keeps listed closed dates inside the period only, once each, in date order", () => {
    const calendar = { closedWeekdays: [0], closedDates: ["2025-03-02", "2025-03-05", "2025-03-09", "2025-03-20"] };
    expect(closedDaysWithin("2025-03-03T12:00:00Z", "2025-03-10T12:00:00Z", "UTC", calendar)).toEqual(["2025-03-05", "2025-03-09"]);
  });

  it("reads weekdays in the institution's zone, not in UTC", () => {
    // Returned Sunday 2025-06-08 01:00 in Auckland (+12) = Saturday 13:00Z.
    const days = closedDaysWithin("2025-06-05T11:59:59Z", "2025-06-07T13:00:00Z", "Pacific/Auckland", { closedWeekdays: [0], closedDates: [] });
    expect(days).toEqual(["2025-06-08"]);
  });

  it("is empty for a return on the due day or without a calendar", () => {
    expect(closedDaysWithin("2025-03-03T10:00:00Z", "2025-03-03T12:00:00Z", "UTC", { closedWeekdays: [0, 1, 2, 3, 4, 5, 6], closedDates: [] })).toEqual([]);
    expect(closedDaysWithin("2025-03-03T10:00:00Z", "2025-03-13T12:00:00Z", "UTC", none)).toEqual([]);
  });

  it("makes Sundays free in the fine when the library is closed on Sundays", () => {
    const dueAt = "2025-03-03T23:59:59Z";
    const returnedAt = "2025-03-13T10:00:00Z"; // 10 days late, one Sunday (the 9th)
    const closedDays = closedDaysWithin(dueAt, returnedAt, "UTC", { closedWeekdays: [0], closedDates: [] });
    expect(assessOverdueFine({ finePerDay: 25, maxFine: null, graceDays: 0, dueAt, returnedAt, tz: "UTC", closedDays })).toEqual({
      amount: 225,
      daysLate: 10,
      chargeableDays: 9,
    });
  });

  it("rejects weekdays outside 0–6 and dates that are not calendar dates", () => {
    expect(calendarProblem({ closedWeekdays: [7], closedDates: [] })).toMatch(/weekday 7/);
    expect(calendarProblem({ closedWeekdays: [], closedDates: ["2025-02-30"] })).toMatch(/2025-02-30/);
    expect(calendarProblem({ closedWeekdays: [0, 6], closedDates: ["2025-12-25"] })).toBeNull();
  });
});
