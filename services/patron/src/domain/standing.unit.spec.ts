import { describe, expect, it } from "vitest";
import { aPolicy, aRecord, aUsage, blockedBy, cardLost, given, givenRegistered, NOW, registered, ZONE } from "./patron.fixtures.js";
import type { RegisteredPatron } from "./patron.state.js";
import {
  hasInternetPrivileges,
  isDenied,
  isExpired,
  PATRON_STATUS_FLAGS,
  type PatronTypePolicy,
  type PatronUsage,
  reasonsDenying,
  type Standing,
  standing,
  unknownPatronStanding,
} from "./standing.js";

const DENY_ALL = [
  "chargePrivilegesDenied",
  "renewalPrivilegesDenied",
  "recallPrivilegesDenied",
  "holdPrivilegesDenied",
] as const;

/** The names of the flags that are set, in wire order: easy to read in a failure. */
function raised(s: Standing): string[] {
  return PATRON_STATUS_FLAGS.filter((f) => s.flags[f]);
}

function standingOf(
  patron: RegisteredPatron,
  { policy = aPolicy(), usage = aUsage(), now = NOW }: { policy?: PatronTypePolicy; usage?: PatronUsage; now?: Date } = {},
): Standing {
  return standing(patron, policy, usage, now, ZONE);
}

const blocked = blockedBy(false, "kiosk", "kiosk1");
const lost = cardLost();

describe("standing: the 14 SIP2 patron-status flags", () => {
  it("given a patron with no cause, no flag is set and the patron is valid and in good standing", () => {
    const s = standingOf(givenRegistered());
    expect(raised(s)).toEqual([]);
    expect(s).toMatchObject({ valid: true, reasons: [], inGoodStanding: true });
  });

  it("lists the 14 flags in SIP2 wire order (position 0 = charge privileges denied, 13 = too many items billed)", () => {
    expect(PATRON_STATUS_FLAGS).toHaveLength(14);
    expect(PATRON_STATUS_FLAGS[0]).toBe("chargePrivilegesDenied");
    expect(PATRON_STATUS_FLAGS[4]).toBe("cardReportedLost");
    expect(PATRON_STATUS_FLAGS[10]).toBe("excessiveOutstandingFines");
    expect(PATRON_STATUS_FLAGS[13]).toBe("tooManyItemsBilled");
  });

  it("a manual block denies charge, renewal, recall and hold", () => {
    const s = standingOf(givenRegistered(blocked));
    expect(raised(s)).toEqual([...DENY_ALL]);
    expect(s.reasons).toEqual(["blocked"]);
  });

  it("a blocked patron is still a valid (known) patron: BL = Y, restrictions are in the flags", () => {
    const s = standingOf(givenRegistered(blocked));
    expect(s.valid).toBe(true);
    expect(s.inGoodStanding).toBe(false);
  });

  it("a card reported lost raises card reported lost and denies the four privileges", () => {
    const s = standingOf(givenRegistered(lost));
    expect(raised(s)).toEqual([...DENY_ALL, "cardReportedLost"]);
    expect(s.reasons).toEqual(["card_lost"]);
  });

  it("an expired card denies the four privileges without an indicator flag", () => {
    const s = standingOf(givenRegistered(), { now: new Date("2026-04-02T10:00:00Z") });
    expect(raised(s)).toEqual([...DENY_ALL]);
    expect(s.reasons).toEqual(["expired"]);
  });

  it("charged items at the policy maximum raise too many items charged and deny charge only", () => {
    const s = standingOf(givenRegistered(), { usage: aUsage({ charged: 10 }) });
    expect(raised(s)).toEqual(["chargePrivilegesDenied", "tooManyItemsCharged"]);
    expect(s.reasons).toEqual(["too_many_charged"]);
  });

  it("charged items below the maximum raise nothing", () => {
    expect(raised(standingOf(givenRegistered(), { usage: aUsage({ charged: 9 }) }))).toEqual([]);
  });

  it("overdue items at the policy maximum raise too many items overdue and deny charge and renewal", () => {
    const s = standingOf(givenRegistered(), { usage: aUsage({ overdue: 3 }) });
    expect(raised(s)).toEqual(["chargePrivilegesDenied", "renewalPrivilegesDenied", "tooManyItemsOverdue"]);
    expect(s.reasons).toEqual(["too_many_overdue"]);
  });

  it("overdue items below the maximum raise nothing", () => {
    expect(raised(standingOf(givenRegistered(), { usage: aUsage({ overdue: 2 }) }))).toEqual([]);
  });

  it("a fine balance above the limit raises excessive outstanding fines and denies charge, renewal and hold", () => {
    const s = standingOf(givenRegistered(), { usage: aUsage({ fineBalance: 501 }) });
    expect(raised(s)).toEqual([
      "chargePrivilegesDenied",
      "renewalPrivilegesDenied",
      "holdPrivilegesDenied",
      "excessiveOutstandingFines",
    ]);
    expect(s.reasons).toEqual(["fines_over_limit"]);
  });

  it("a fine balance exactly at the limit is still allowed", () => {
    expect(raised(standingOf(givenRegistered(), { usage: aUsage({ fineBalance: 500 }) }))).toEqual([]);
  });

  it("a null limit never flags, however high the usage", () => {
    const policy = aPolicy({ maxCharged: null, maxOverdue: null, fineLimit: null });
    const usage = aUsage({ charged: 9999, overdue: 9999, fineBalance: 10_000_000 });
    expect(raised(standingOf(givenRegistered(), { policy, usage }))).toEqual([]);
  });

  it("combined causes raise the union of their flags and list every reason in precedence order", () => {
    const s = standingOf(givenRegistered(lost, blocked), {
      usage: aUsage({ charged: 10, overdue: 3, fineBalance: 900 }),
      now: new Date("2027-01-01T12:00:00Z"),
    });
    expect(s.reasons).toEqual(["blocked", "card_lost", "expired", "too_many_charged", "too_many_overdue", "fines_over_limit"]);
    expect(raised(s)).toEqual([
      ...DENY_ALL,
      "cardReportedLost",
      "tooManyItemsCharged",
      "tooManyItemsOverdue",
      "excessiveOutstandingFines",
    ]);
  });

  it("too many charged plus too many overdue deny charge and renewal but leave recall and hold", () => {
    const s = standingOf(givenRegistered(), { usage: aUsage({ charged: 12, overdue: 4 }) });
    expect(isDenied(s, "charge")).toBe(true);
    expect(isDenied(s, "renewal")).toBe(true);
    expect(isDenied(s, "recall")).toBe(false);
    expect(isDenied(s, "hold")).toBe(false);
  });

  it("never sets the flags no cause maps to (renewals, claims, lost, fees, recall overdue, billed)", () => {
    const s = standingOf(givenRegistered(lost, blocked), { usage: aUsage({ charged: 99, overdue: 99, fineBalance: 99_999 }) });
    for (const f of [
      "tooManyRenewals",
      "tooManyClaimsOfItemsReturned",
      "tooManyItemsLost",
      "excessiveOutstandingFees",
      "recallOverdue",
      "tooManyItemsBilled",
    ] as const) {
      expect(s.flags[f]).toBe(false);
    }
  });

  it("names only the causes that deny a privilege: too many charged stops a checkout, not a renewal", () => {
    const s = standingOf(givenRegistered(), { usage: aUsage({ charged: 10, fineBalance: 600 }) });
    expect(reasonsDenying(s, "charge")).toEqual(["too_many_charged", "fines_over_limit"]);
    expect(reasonsDenying(s, "renewal")).toEqual(["fines_over_limit"]);
    expect(reasonsDenying(s, "recall")).toEqual([]);
  });
});

describe("standing: expiry is a local date in the home institution's zone", () => {
  const record = aRecord({ expiryDate: "2025-03-31" });

  it("is not expired at the last second of the expiry date, local time", () => {
    // 23:59:59 in Paris (CEST, UTC+2) on 31 March.
    expect(isExpired(record, new Date("2025-03-31T21:59:59Z"), ZONE)).toBe(false);
  });

  it("is expired from the first second of the day after, local time", () => {
    expect(isExpired(record, new Date("2025-03-31T22:00:00Z"), ZONE)).toBe(true);
  });

  it("judges the date in the given zone, not in UTC", () => {
    // 1 April 02:00 UTC is still 31 March in New York.
    const instant = new Date("2025-04-01T02:00:00Z");
    expect(isExpired(record, instant, "America/New_York")).toBe(false);
    expect(isExpired(record, instant, "UTC")).toBe(true);
  });

  it("a card with no expiry date never expires", () => {
    expect(isExpired(aRecord({ expiryDate: null }), new Date("2999-01-01T00:00:00Z"), ZONE)).toBe(false);
  });

  it("standing flags the expired cause from the day after only", () => {
    const patron = given(registered(record));
    if (patron.status !== "registered") throw new Error("unreachable");
    expect(standing(patron, aPolicy(), aUsage(), new Date("2025-03-31T21:59:59Z"), ZONE).reasons).toEqual([]);
    expect(standing(patron, aPolicy(), aUsage(), new Date("2025-03-31T22:00:00Z"), ZONE).reasons).toEqual(["expired"]);
  });
});

describe("unknown patron standing (23 / 63 for a barcode nobody knows)", () => {
  it("is YYYY + 10 blanks: the four privileges denied, nothing else", () => {
    const s = unknownPatronStanding();
    expect(raised(s)).toEqual([...DENY_ALL]);
  });

  it("is not valid (BL = N), has no reasons and is not in good standing", () => {
    expect(unknownPatronStanding()).toMatchObject({ valid: false, reasons: [], inGoodStanding: false });
  });
});

describe("internet privileges (64 PI): the account, not the borrowing limits", () => {
  it("a patron in good standing, or only over a fine or loan limit, has them", () => {
    expect(hasInternetPrivileges(standingOf(givenRegistered()))).toBe(true);
    const overLimits = standingOf(givenRegistered(), { usage: aUsage({ charged: 10, fineBalance: 100_000 }) });
    expect(overLimits.reasons).toEqual(["too_many_charged", "fines_over_limit"]);
    expect(hasInternetPrivileges(overLimits)).toBe(true);
  });

  it("a blocked, lost-card or expired patron does not; nor does an unknown one", () => {
    expect(hasInternetPrivileges(standingOf(givenRegistered(blocked)))).toBe(false);
    expect(hasInternetPrivileges(standingOf(givenRegistered(lost)))).toBe(false);
    const expired = given(registered(aRecord({ expiryDate: "2000-01-01" })));
    if (expired.status !== "registered") throw new Error("fixture: expected a registered patron");
    expect(hasInternetPrivileges(standingOf(expired))).toBe(false);
    expect(hasInternetPrivileges(unknownPatronStanding())).toBe(false);
  });
});
