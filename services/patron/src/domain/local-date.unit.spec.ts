import { describe, expect, it } from "vitest";
import { expiryDateOf, expiryInstant, isLocalDate, localDateAt, startOfLocalDate } from "./local-date.js";

describe("local dates", () => {
  it("accepts real YYYY-MM-DD calendar dates, including 29 February of a leap year", () => {
    expect(isLocalDate("2024-02-29")).toBe(true);
    expect(isLocalDate("0099-01-01")).toBe(true);
  });

  it("rejects impossible dates and other shapes", () => {
    for (const v of ["2025-02-29", "2025-02-30", "2025-13-01", "2025-00-10", "2025-1-01", "20250101", "", "2025-01-01T00:00"]) {
      expect(isLocalDate(v), v).toBe(false);
    }
  });

  it("gives the calendar date an instant falls on in a zone", () => {
    const instant = new Date("2025-12-31T23:30:00Z");
    expect(localDateAt(instant, "UTC")).toBe("2025-12-31");
    expect(localDateAt(instant, "Europe/Paris")).toBe("2026-01-01");
    expect(localDateAt(instant, "America/Los_Angeles")).toBe("2025-12-31");
  });

  it("throws on an unknown zone: broken configuration, not a refusal", () => {
    expect(() => localDateAt(new Date(), "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

describe("expiry instants", () => {
  it("a card expiring on 31 March stops at 00:00 on 1 April in the home zone", () => {
    expect(expiryInstant("2025-03-31", "America/New_York").toISOString()).toBe("2025-04-01T04:00:00.000Z");
    expect(expiryInstant("2025-03-31", "Europe/Paris").toISOString()).toBe("2025-03-31T22:00:00.000Z");
    expect(expiryInstant("2025-12-31", "UTC").toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });

  it("finds the start of a day that begins right after a DST change", () => {
    // Paris moved to summer time at 02:00 on 30 March 2025; 31 March starts at +02:00.
    expect(startOfLocalDate("2025-03-30", "Europe/Paris").toISOString()).toBe("2025-03-29T23:00:00.000Z");
    expect(startOfLocalDate("2025-03-31", "Europe/Paris").toISOString()).toBe("2025-03-30T22:00:00.000Z");
  });

  it("reads an end-of-registration instant back as the expiry date, in the home zone", () => {
    expect(expiryDateOf(new Date("2025-04-01T04:00:00Z"), "America/New_York")).toBe("2025-03-31");
    expect(expiryDateOf(new Date("2025-03-31T15:00:00Z"), "America/New_York")).toBe("2025-03-31");
  });
});
