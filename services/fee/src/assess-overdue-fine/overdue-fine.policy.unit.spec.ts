import { describe, expect, it } from "vitest";
import { assessOverdueFine, type OverdueFineInput } from "./overdue-fine.policy.js";

// Day loans fall due at 23:59:59 local time (docs/services.md, "Time").
const paris = (local: string) => `${local}+01:00`;
const rule = { finePerDay: 25, maxFine: null, graceDays: 0, tz: "Europe/Paris" } as const;
const fine = (over: Partial<OverdueFineInput> & Pick<OverdueFineInput, "dueAt" | "returnedAt">) => assessOverdueFine({ ...rule, ...over });

describe("overdue fine", () => {
  it("fines each local calendar day late at the rule's daily rate", () => {
    expect(fine({ dueAt: paris("2025-03-03T23:59:59"), returnedAt: paris("2025-03-06T10:00:00") })).toEqual({
      amount: 75,
      daysLate: 3,
      chargeableDays: 3,
    });
  });

  it("counts a return the next morning as one day late, not a fraction of one", () => {
    expect(fine({ dueAt: paris("2025-03-03T23:59:59"), returnedAt: paris("2025-03-04T00:00:30") }).amount).toBe(25);
  });

  it("counts days in the institution's zone, not in UTC", () => {
    // Due 2025-06-01 23:59:59 in Los Angeles = 06:59:59Z on the 2nd; returned 08:00 local on the 2nd = 15:00Z
    // on the 2nd: one day late locally, though both instants share a UTC date.
    const la = { tz: "America/Los_Angeles", dueAt: "2025-06-02T06:59:59Z", returnedAt: "2025-06-02T15:00:00Z" };
    expect(fine(la)).toMatchObject({ daysLate: 1, amount: 25 });
  });

  it("counts calendar days across a daylight-saving change", () => {
    // Paris moves to +02:00 on 2025-03-30.
    const r = fine({ dueAt: "2025-03-29T23:59:59+01:00", returnedAt: "2025-03-31T09:00:00+02:00" });
    expect(r.daysLate).toBe(2);
  });

  it("charges nothing when returned on time or early", () => {
    expect(fine({ dueAt: paris("2025-03-03T23:59:59"), returnedAt: paris("2025-03-03T23:59:59") }).amount).toBe(0);
    expect(fine({ dueAt: paris("2025-03-03T23:59:59"), returnedAt: paris("2025-03-01T12:00:00") }).amount).toBe(0);
  });

  it("counts an hour loan returned late on its due day as one day late", () => {
    expect(fine({ dueAt: paris("2025-03-03T14:00:00"), returnedAt: paris("2025-03-03T18:00:00") })).toEqual({
      amount: 25,
      daysLate: 1,
      chargeableDays: 1,
    });
  });

  it("caps the fine at the rule's maximum", () => {
    const r = fine({ maxFine: 100, dueAt: paris("2025-03-03T23:59:59"), returnedAt: paris("2025-03-23T12:00:00") });
    expect(r).toEqual({ amount: 100, daysLate: 20, chargeableDays: 20 });
  });

  it("forgives a return within the grace days entirely", () => {
    const r = fine({ graceDays: 2, dueAt: paris("2025-03-03T23:59:59"), returnedAt: paris("2025-03-05T12:00:00") });
    expect(r).toEqual({ amount: 0, daysLate: 2, chargeableDays: 2 });
  });

  it("fines every late day, grace days included, once the grace period is exceeded", () => {
    const r = fine({ graceDays: 2, dueAt: paris("2025-03-03T23:59:59"), returnedAt: paris("2025-03-06T12:00:00") });
    expect(r).toEqual({ amount: 75, daysLate: 3, chargeableDays: 3 });
  });

  it("does not fine closed days, nor count them towards grace", () => {
    const closedDays = ["2025-03-05", "2025-03-05", "2025-03-03", "2025-03-10"]; // due day and later days are outside the window
    const r = fine({ closedDays, graceDays: 1, dueAt: paris("2025-03-03T23:59:59"), returnedAt: paris("2025-03-06T12:00:00") });
    expect(r).toEqual({ amount: 50, daysLate: 3, chargeableDays: 2 });
  });

  it("fines the return day itself even when it is the day after a closed stretch", () => {
    const r = fine({ closedDays: ["2025-03-04", "2025-03-05"], dueAt: paris("2025-03-03T23:59:59"), returnedAt: paris("2025-03-06T09:00:00") });
    expect(r).toEqual({ amount: 25, daysLate: 3, chargeableDays: 1 });
  });
});
