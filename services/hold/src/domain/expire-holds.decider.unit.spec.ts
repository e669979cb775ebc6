import { describe, expect, it } from "vitest";
import { decideExpireHolds } from "./expire-holds.decider.js";
import { given, placed, TITLE, trapped } from "./hold.fixtures.js";

const now = "2025-03-10T00:00:00Z";

describe("ExpireHolds", () => {
  it("expires waiting holds past their date and uncollected copies past their shelf date, not copies in transit", () => {
    const q = given(
      placed("h-1", "P1", { expiresAt: "2025-03-01T00:00:00Z" }),
      placed("h-2", "P2", { expiresAt: "2025-04-01T00:00:00Z" }),
      placed("h-3", "P3"),
      trapped("h-3", "P3", "I3", { shelfExpiresAt: "2025-03-09T22:59:59Z" }),
      placed("h-4", "P4", { expiresAt: "2025-03-01T00:00:00Z", pickupLocation: "EAST" }),
      trapped("h-4", "P4", "I4", { disposition: "in_transit", pickupLocation: "EAST", shelfExpiresAt: null }),
    );
    const d = decideExpireHolds({ titleKey: TITLE }, q, now);
    expect(d.events).toEqual([
      { type: "HoldExpired", holdId: "h-1", titleKey: TITLE, patronId: "P1", expiredAt: now, reason: "not_filled", releasedItem: null },
      { type: "HoldExpired", holdId: "h-3", titleKey: TITLE, patronId: "P3", expiredAt: now, reason: "not_collected", releasedItem: "I3" },
    ]);
    expect(d).toMatchObject({ data: { expiredHoldIds: ["h-1", "h-3"], releasedItems: ["I3"] } });
  });

  it("records nothing when no hold has run out", () => {
    expect(decideExpireHolds({ titleKey: TITLE }, given(placed("h-1", "P1")), now).events).toEqual([]);
  });
});
