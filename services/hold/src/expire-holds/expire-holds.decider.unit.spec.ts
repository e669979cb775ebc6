import { domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { decideExpireHolds } from "./expire-holds.decider.js";
import { given, INSTITUTION, idOf, placed, TITLE, trapped } from "../domain/hold.fixtures.js";

const now = "2025-03-10T00:00:00Z";

describe("ExpireHolds", () => {
  it("expires waiting holds past their date and uncollected copies past their shelf date, not copies in transit", () => {
    const q = given(
      placed("h-1", "P1", { expiresAt: "2025-03-01T00:00:00Z" }),
      placed("h-2", "P2", { expiresAt: "2025-04-01T00:00:00Z" }),
      placed("h-3", "P3"),
      trapped("h-3", "P3", "I3", { shelfExpiresAt: "2025-03-09T22:59:59Z" }),
      placed("h-4", "P4", { expiresAt: "2025-03-01T00:00:00Z", pickupLocation: "EAST" }),
      trapped("h-4", "P4", "I4", { inTransit: true, pickupLocation: "EAST" }),
    );
    const d = decideExpireHolds({ institution: INSTITUTION, titleKey: TITLE }, q, now);
    expect(d.events).toEqual([
      domainEvent("HoldExpired", { holdId: "h-1", patronId: idOf("P1"), uncollected: false, titleId: TITLE }),
      domainEvent("HoldExpired", { holdId: "h-3", patronId: idOf("P3"), uncollected: true, titleId: TITLE, releasedItem: { institutionId: INSTITUTION, barcode: "I3" } }),
    ]);
    expect(d).toMatchObject({ data: { expiredHoldIds: ["h-1", "h-3"], releasedItems: ["I3"] } });
  });

  it("records nothing when no hold has run out", () => {
    expect(decideExpireHolds({ institution: INSTITUTION, titleKey: TITLE }, given(placed("h-1", "P1")), now).events).toEqual([]);
  });
});
